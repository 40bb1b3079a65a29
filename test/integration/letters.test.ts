// Requests staff register (P4) and requests made by someone for the subject (P12), on the embedded runtime: the
// receipt date, the wait for staff's check, and answers to the requester, by e-mail or as a printable letter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueDate } from '../../functions/core/deadlines.ts';
import { configuredSystems } from '../../functions/core/systems.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { call, eventually, inbox } from '../helpers/api.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
const CLOCK = '2026-11-25T09:00:00Z';
const STAFF_INBOX = 'privacy-team@jsm.be';
const DAY_MS = 86_400_000;

beforeAll(async () => {
  rt = await startRuntime({ clock: CLOCK });
});

afterAll(async () => {
  await rt?.stop();
});

type Detail = Record<string, unknown> & {
  status: string;
  dueAt: string;
  answerBy?: string;
  representation?: { relation: string; checkedAt?: string; method?: string };
  letters?: { id: string; kind: string; at: string }[];
  audit: { action: string; actor: string; details?: Record<string, unknown> }[];
};

const staffView = async (id: string): Promise<Detail> => {
  const res = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, { token: await rt.staffToken('viewer') });
  expect(res.status).toBe(200);
  return res.json as Detail;
};

/** Waits until the staff view satisfies `done`. */
const viewUntil = (id: string, done: (d: Detail) => boolean, what: string) =>
  eventually(
    async () => {
      const d = await staffView(id);
      return done(d) ? d : undefined;
    },
    90_000,
    what,
  );

const register = async (
  body: Record<string, unknown>,
  key?: string,
  role: 'approver' | 'viewer' = 'approver',
) =>
  call(rt.apiUrl, 'POST', '/admin/requests', {
    token: await rt.staffToken(role),
    body,
    headers: key ? { 'idempotency-key': key } : {},
  });

const approver = () => rt.staffToken('approver');
const post = async (path: string, body?: unknown) =>
  call(rt.apiUrl, 'POST', path, { token: await approver(), ...(body === undefined ? {} : { body }) });

/** Every request id staff can list. */
const listedIds = async () =>
  (
    (await call(rt.apiUrl, 'GET', '/admin/requests?limit=100', { token: await rt.staffToken('viewer') })).json
      .items as { id: string }[]
  ).map((i) => i.id);

describe('A request received by letter, without an e-mail address (P4, P9, P8)', () => {
  it('counts the period from the receipt date, waits for the identity check, cannot be approved before it, and answers with printable letters in French, mailing nothing (P4, P9, Art. 12(1)-(3))', async () => {
    // Prepare: Sophie's letter arrived ten days ago; staff register it with her postal address only.
    const sophie = DEMO_CUSTOMERS.sophie;
    const seen = new Set((await inbox(rt.sesUrl)).map((m) => m.messageId));
    const receivedAt = new Date(Date.parse(CLOCK) - 10 * DAY_MS).toISOString();
    const body = {
      type: 'erasure',
      channel: 'letter',
      receivedAt,
      language: 'fr',
      postalAddress: 'Sophie Lambert\nRue Haute 5\n7500 Tournai',
    };

    // Act: registered, and the same Idempotency-Key sent again.
    const first = await register(body, 'letter-sophie-1');
    const again = await register(body, 'letter-sophie-1');

    // Assess: one request, due from the receipt date, waiting for staff's check.
    expect(first.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    const id = first.json.id as string;
    expect(first.json.status).toBe('awaiting_identity_check');
    expect(first.json.dueAt).toBe(dueDate(new Date(receivedAt)).toISOString());
    const parked = await viewUntil(
      id,
      (d) => d.audit.some((e) => e.action === 'identity.check_requested'),
      'the workflow parked for the check',
    );
    expect(parked.status).toBe('awaiting_identity_check');
    expect(parked.answerBy).toBe('letter');
    expect(JSON.stringify(parked.systems)).not.toContain('"erased"');

    // Act: an approval before the check, then the check, then the approval.
    const early = await post(`/admin/requests/${id}/approve`);
    const checked = await post(`/admin/requests/${id}/authority`, {
      method: 'customer_number_and_address',
      customerNumber: sophie.customerNumber,
      note: 'Numéro de client et adresse conformes au dossier',
    });
    const twice = await post(`/admin/requests/${id}/authority`, { method: 'id_document_seen' });
    await viewUntil(id, (d) => d.status === 'awaiting_approval', 'awaiting approval');
    const approved = await post(`/admin/requests/${id}/approve`);
    const done = await viewUntil(id, (d) => d.status === 'completed', 'completed');

    // Assess: refused before the check, carried out after it, for her customer record.
    expect(early.status).toBe(409);
    expect(checked.status).toBe(200);
    expect(twice.status).toBe(409);
    expect(approved.status).toBe(200);
    expect(done.dueAt).toBe(first.json.dueAt);
    expect(done.letters?.map((l) => l.kind)).toEqual(['acknowledgement', 'outcome']);
    expect(done.representation).toBeUndefined();

    // Act: staff open the outcome letter, and its style sheet.
    const outcome = done.letters?.find((l) => l.kind === 'outcome');
    const letter = await call(rt.apiUrl, 'GET', `/admin/requests/${id}/letters/${outcome?.id}`, {
      token: await approver(),
    });
    const css = await fetch(`${rt.apiUrl}/assets/letter.css`);
    const asViewer = await call(rt.apiUrl, 'GET', `/admin/requests/${id}/letters/${outcome?.id}`, {
      token: await rt.staffToken('viewer'),
    });

    // Assess: a French letter with her address block, under a CSP with no inline style or script.
    expect(letter.status).toBe(200);
    expect(letter.headers.get('content-type')).toMatch(/^text\/html/);
    expect(letter.headers.get('content-security-policy')).toContain("style-src 'self'");
    expect(letter.text).toContain('<html lang="fr"');
    expect(letter.text).toContain('Rue Haute 5<br>7500 Tournai');
    expect(letter.text).toContain(`Notre référence\u00a0: ${id}`);
    expect(letter.text).toContain('Votre demande d&#39;effacement a été exécutée');
    expect(letter.text).toContain('Autorité de protection des données');
    expect(letter.text).toMatch(/<link rel="stylesheet" href="[^"]*\/assets\/letter\.css">/);
    expect(letter.text).not.toMatch(/<script|<style|\sstyle=/i);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(asViewer.status).toBe(403);

    // Assess: no mail went to the subject, only to staff and to the owners of the systems without an API (P17).
    const staff = new Set([
      STAFF_INBOX,
      ...configuredSystems().flatMap((c) => (c.kind === 'manual' ? c.owner.emails : [])),
    ]);
    const mailed = (await inbox(rt.sesUrl)).filter((m) => !seen.has(m.messageId));
    expect(mailed.flatMap((m) => m.destination.to).filter((to) => !staff.has(to))).toEqual([]);

    // Assess: the trail has each fact, in codes, without her address, the note or her customer number.
    const trail = (await staffView(id)).audit;
    const actions = trail.map((e) => e.action);
    for (const a of ['request.registered', 'authority.checked', 'letter.viewed'])
      expect(actions).toContain(a);
    const details = JSON.stringify(trail.map((e) => e.details ?? {}));
    for (const personal of ['Tournai', 'Rue Haute', 'Numéro de client', sophie.customerNumber])
      expect(details).not.toContain(personal);
    expect(trail.find((e) => e.action === 'authority.checked')?.details).toMatchObject({
      of: 'identity',
      method: 'customer_number_and_address',
    });
  }, 180_000);
});

describe('A parent acting for a child (P12, Art. 8, Art. 12(6))', () => {
  it('records requester and subject apart, waits for the check of parental authority, and mails every answer to the parent, nothing to the child (P12, Art. 12(1))', async () => {
    // Prepare: a parent writes by e-mail for Luc, giving Luc's address and their own.
    const luc = DEMO_CUSTOMERS.luc;
    const parent = 'marc.ouder@example.be';
    const seen = new Set((await inbox(rt.sesUrl)).map((m) => m.messageId));
    const filed = await register({
      type: 'access',
      channel: 'email',
      receivedAt: new Date(Date.parse(CLOCK) - 2 * DAY_MS).toISOString(),
      language: 'nl',
      email: luc.email,
      representative: { relation: 'parent', name: 'Marc Martens', email: parent },
    });
    expect(filed.status).toBe(201);
    const id = filed.json.id as string;

    // Act: staff check the parental authority, then approve.
    await viewUntil(
      id,
      (d) => d.audit.some((e) => e.action === 'identity.check_requested'),
      'the workflow parked for the check',
    );
    const checked = await post(`/admin/requests/${id}/authority`, {
      method: 'parental_authority_document_seen',
    });
    await viewUntil(id, (d) => d.status === 'awaiting_approval', 'awaiting approval');
    expect((await post(`/admin/requests/${id}/approve`)).status).toBe(200);
    const done = await viewUntil(id, (d) => d.status === 'completed', 'completed');

    // Assess: no code and no answer to the child; the acknowledgement and the outcome to the parent.
    expect(filed.json.status).toBe('awaiting_identity_check');
    expect(checked.status).toBe(200);
    const mailed = (await inbox(rt.sesUrl)).filter((m) => !seen.has(m.messageId));
    expect(mailed.filter((m) => m.destination.to.includes(luc.email))).toEqual([]);
    const toParent = mailed.filter((m) => m.destination.to.includes(parent));
    expect(toParent.map((m) => m.subject)).toEqual([
      'We hebben uw verzoek tot inzage ontvangen',
      'Uw verzoek tot inzage is uitgevoerd',
    ]);
    expect(toParent[0]?.body.text).toContain('U diende dit verzoek in voor iemand anders.');
    // Assess: the request page names the relation and the check, never the parent's name or address.
    expect(done.answerBy).toBe('email');
    expect(done.representation).toMatchObject({
      relation: 'parent',
      method: 'parental_authority_document_seen',
    });
    expect(done.representation?.checkedAt).toEqual(expect.any(String));
    expect(done.letters).toBeUndefined();
    const page = JSON.stringify(done);
    for (const personal of ['Marc Martens', parent, luc.email]) expect(page).not.toContain(personal);
    expect(done.audit.find((e) => e.action === 'request.registered')?.details).toMatchObject({
      relation: 'parent',
      check: 'authority',
    });
  }, 180_000);
});

describe('Registering a request: bad input (P4, P15)', () => {
  it('answers 4xx and stores nothing for a future receipt date, an e-mail request without its address, an unknown field, a representative without contact, or a viewer (P4, P12, P15)', async () => {
    // Prepare
    const before = await listedIds();
    const good = {
      type: 'access',
      channel: 'letter',
      receivedAt: new Date(Date.parse(CLOCK) - DAY_MS).toISOString(),
      language: 'en',
      postalAddress: 'Markt 1\n8500 Kortrijk',
    };

    // Act
    const future = await register({
      ...good,
      receivedAt: new Date(Date.parse(CLOCK) + DAY_MS).toISOString(),
    });
    const tooOld = await register({
      ...good,
      receivedAt: new Date(Date.parse(CLOCK) - 400 * DAY_MS).toISOString(),
    });
    const emailWithout = await register({ ...good, channel: 'email' });
    const unknown = await register({ ...good, confirmed: true });
    const noContact = await register({
      ...good,
      representative: { relation: 'guardian', name: 'Els Voogd' },
    });
    const byViewer = await register(good, undefined, 'viewer');

    // Assess
    expect(future.status).toBe(422);
    expect(future.json.type).toMatch(/received-at-not-allowed$/);
    expect(tooOld.status).toBe(422);
    expect(emailWithout.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(noContact.status).toBe(400);
    expect(byViewer.status).toBe(403);
    expect(await listedIds()).toEqual(before);
  });
});
