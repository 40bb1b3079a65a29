import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS, type SystemName } from '../../functions/core/schemas.ts';
import { allSystems } from '../../functions/core/systems.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, eventually, type InboxMail, inbox, waitForMail } from '../helpers/api.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { approveAndFinish, fileAndVerify, reachStatus, reject } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
let doc: DynamoDBDocumentClient;

/** A client of the runtime's DynamoDB Local (its port may change when the runtime restarts). */
const connect = () => runtimeDocumentClient(rt.dynamodbEndpoint);

beforeAll(async () => {
  rt = await startRuntime({ clock: '2026-11-25T09:00:00Z', env: { RATE_LIMIT_PER_SOURCE: '200' } });
  doc = connect();
});

afterAll(async () => {
  await rt?.stop();
});

type Item = Record<string, unknown>;
/** A system's records, without the connectors' idempotency markers (they belong to requests). */
const scan = async (system: SystemName): Promise<Item[]> =>
  ((await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system(system) }))).Items ?? []).filter(
    (i) => !String(i.pk).startsWith('OPS#'),
  );
const scanAll = async () =>
  Object.fromEntries(await Promise.all(SYSTEMS.map(async (s) => [s, await scan(s)])));

const linksIn = (m: InboxMail) =>
  [...(m.body.text ?? '').matchAll(/(https?:\/\/\S+\/downloads\/[A-Za-z0-9_.-]+)/g)].map(
    (x) => x[1] as string,
  );

const statusOf = async (id: string, token: string) =>
  (await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json;

/** The request as staff see it: systems, located counts and the audit trail. */
async function staffView(id: string) {
  const viewer = await rt.staffToken('viewer');
  const res = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, { token: viewer });
  expect(res.status).toBe(200);
  return res.json as Item & {
    systems: {
      system: string;
      located?: { found: boolean; records: number };
      outcomes?: { kind: string }[];
    }[];
    audit: { action: string; actor: string; details?: Item }[];
  };
}

/** A mail's text with what differs between any two requests (ids, codes, links, the address) taken out. */
const normalised = (m: InboxMail, id: string, email: string) =>
  `${m.subject}\n${m.body.text ?? ''}`
    .replaceAll(id, '<id>')
    .replaceAll(email, '<email>')
    .replace(/https?:\/\/\S+\/downloads\/[A-Za-z0-9_.-]+/g, '<link>')
    .replace(/\b\d{8}\b/g, '<code>');

describe('An old e-mail address after a rectification (P2, P8)', () => {
  it('finds nothing by her old address: an access request from it answers exactly as for a stranger and changes no store (P2, P8, Art. 5(1)(d), Art. 12(6))', async () => {
    // Prepare: An rectifies her address; both the old and the new address confirm a code; staff approve.
    const an = DEMO_CUSTOMERS.an;
    const newEmail = 'an.nieuw@example.be';
    const stranger = 'niemand.gekend@example.be';
    const rectification = await fileAndVerify(
      rt,
      { type: 'rectification', email: an.email, language: 'nl', changes: { email: newEmail } },
      [an.email, newEmail],
    );
    expect((await approveAndFinish(rt, rectification.id, rectification.token)).done.status).toBe('completed');
    const stores = await scanAll();
    // Assess: her issued invoices still print the old address, as issued (a correction is a credit note).
    const invoices = stores.billing.filter(
      (i: Item) => i.customerNumber === an.customerNumber && String(i.sk).startsWith('INVOICE#'),
    );
    expect(invoices.length).toBeGreaterThan(0);
    expect(invoices.every((i: Item) => i.email === an.email)).toBe(true);

    // Act: an access request from the old address, and one from an address never known, each carried out.
    const fromOld = await fileAndVerify(rt, { type: 'access', email: an.email, language: 'nl' }, [an.email]);
    const oldDone = (await approveAndFinish(rt, fromOld.id, fromOld.token)).done;
    const fromStranger = await fileAndVerify(rt, { type: 'access', email: stranger, language: 'nl' }, [
      stranger,
    ]);
    const strangerDone = (await approveAndFinish(rt, fromStranger.id, fromStranger.token)).done;

    // Assess: every system found nothing for either, with the same answers.
    const oldView = await staffView(fromOld.id);
    const strangerView = await staffView(fromStranger.id);
    expect(oldDone.status).toBe(strangerDone.status);
    for (const view of [oldView, strangerView]) {
      expect(view.systems.map((s) => s.system).sort()).toEqual(allSystems().sort());
      for (const s of view.systems) {
        expect(s.located, s.system).toEqual({ found: false, records: 0 });
        expect(s.outcomes, s.system).toEqual([{ kind: 'not_found' }]);
      }
    }
    // Assess: the same mails, word for word but for the id, the code, the address and the links.
    const since = (to: string, seen: Set<string>) => async () =>
      (await inbox(rt.sesUrl)).filter((m) => m.destination.to.includes(to) && !seen.has(m.messageId));
    const oldMails = await since(an.email, fromOld.seen)();
    const strangerMails = await since(stranger, fromStranger.seen)();
    expect(oldMails.length).toBeGreaterThanOrEqual(2);
    expect(oldMails.map((m) => normalised(m, fromOld.id, an.email))).toEqual(
      strangerMails.map((m) => normalised(m, fromStranger.id, stranger)),
    );
    // Assess: nothing of hers reached the old address: not her number, name or new address, in mail or report.
    let toOld = oldMails.map((m) => `${m.subject}\n${m.body.text ?? ''}\n${m.body.html ?? ''}`).join('\n');
    for (const link of oldMails.flatMap(linksIn)) {
      const redirect = await fetch(link, { redirect: 'manual' });
      if (redirect.status === 302)
        toOld += await (await fetch(redirect.headers.get('location') ?? '')).text();
    }
    for (const hers of [an.customerNumber, an.lastName, newEmail, an.iban as string, an.phone]) {
      expect(toOld).not.toContain(hers);
    }
    // Assess: the system stores are as the rectification left them.
    expect(await scanAll()).toEqual(stores);
  });
});

describe('One address, several people (P8)', () => {
  it('waits in awaiting_identity_check with nothing done for anyone, then acts for the one customer staff picked: the other is untouched (P8, Art. 12(6), Art. 5(1)(f))', async () => {
    // Prepare: Koen and Sarah Verstraete share one mailbox; their records as seeded.
    const { koen, sarah } = DEMO_CUSTOMERS;
    expect(koen.email).toBe(sarah.email);
    const mineIn = (stores: Record<string, Item[]>, c: { customerNumber: string }) =>
      Object.fromEntries(
        Object.entries(stores).map(([s, items]) => [
          s,
          items.filter((i) => i.customerNumber === c.customerNumber && String(i.pk).startsWith('CUST#')),
        ]),
      );
    const before = await scanAll();
    expect(mineIn(before, koen).billing?.length ?? 0).toBeGreaterThan(0);
    expect(mineIn(before, koen).crm?.length ?? 0).toBeGreaterThan(0);

    // Act: an erasure request from the shared address, verified with the mailed code.
    const { id, token } = await fileAndVerify(rt, { type: 'erasure', email: koen.email, language: 'nl' }, [
      koen.email,
    ]);
    const waiting = await reachStatus(rt, id, token, ['awaiting_identity_check']);

    // Assess: it waits; billing and CRM answer ambiguous with counts only; no store changed; approval refused.
    expect(waiting.status).toBe('awaiting_identity_check');
    expect(JSON.stringify(waiting)).not.toContain('ambiguous');
    const view = await staffView(id);
    for (const system of ['billing', 'crm']) {
      const s = view.systems.find((x) => x.system === system);
      expect(s?.outcomes, system).toEqual([expect.objectContaining({ kind: 'ambiguous', customers: 2 })]);
    }
    expect(view.audit.map((e) => e.action)).toContain('identity.check_needed');
    expect(await scanAll()).toEqual(before);
    const approver = await rt.staffToken('approver');
    const early = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: approver });
    expect(early.status).toBe(409);

    // Act: bad picks: not a customer number, an unknown field, no body, a viewer's token.
    const resolve = (body: unknown, token = approver) =>
      call(rt.apiUrl, 'POST', `/admin/requests/${id}/resolve`, { token, body });
    const bad = [
      await resolve({ customerNumber: 'Koen' }),
      await resolve({ customerNumber: koen.customerNumber, note: 'the father' }),
      await resolve(''),
      await resolve({ customerNumber: koen.customerNumber }, await rt.staffToken('viewer')),
    ];

    // Assess: clear 4xx problems, and nothing changed.
    expect(bad.map((r) => r.status)).toEqual([400, 400, 400, 403]);
    for (const r of bad) expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect((await statusOf(id, token)).status).toBe('awaiting_identity_check');
    expect(await scanAll()).toEqual(before);

    // Act: staff pick Koen; then approve the erasure, and it runs to its end.
    const picked = await resolve({ customerNumber: koen.customerNumber });
    expect(picked.status).toBe(200);
    const again = await resolve({ customerNumber: sarah.customerNumber });
    const done = (await approveAndFinish(rt, id, token)).done;

    // Assess: a second pick is refused; completed; Koen's live records are gone, Sarah's are exactly as before.
    expect(again.status).toBe(409);
    expect(done.status).toBe('completed');
    const after = await scanAll();
    expect(mineIn(after, koen)).toEqual({ billing: [], crm: [], support: [], marketing: [] });
    expect(mineIn(after, sarah)).toEqual(mineIn(before, sarah));
    // Assess: only Koen's invoice is newly kept, restricted; none of Sarah's. (Restricted records already there
    // before, of former customers the retention sweep erased at start-up, are not this erasure's.)
    const earlier = new Set(before.billing.map((i: Item) => `${i.pk}|${i.sk}`));
    const kept = after.billing.filter(
      (i: Item) => String(i.pk).startsWith('RESTRICTED#') && !earlier.has(`${i.pk}|${i.sk}`),
    );
    expect(kept.map((i: Item) => i.customerNumber)).toEqual([koen.customerNumber]);
    // Assess: the pick is audited by a keyed hash and the staff id, never the customer number.
    const trail = (await staffView(id)).audit;
    const pick = trail.find((e) => e.action === 'identity.resolved');
    expect(pick?.actor).toMatch(/^staff:/);
    expect(pick?.details).toEqual({ customerRef: expect.stringMatching(/^c_[0-9A-Za-z_-]{32}$/) });
    expect(JSON.stringify(trail)).not.toContain(koen.customerNumber);
    expect(JSON.stringify(trail)).not.toContain(koen.email);
    // Assess: no log line names the shared address or either customer number.
    const logs = rt.logs().join('\n');
    for (const personal of [koen.email, koen.customerNumber, sarah.customerNumber])
      expect(logs).not.toContain(personal);
  });

  it('still waits after a restart, and after the pick exports for that one person only: the kept invoice of the other stays out (P8, P1)', async () => {
    // Prepare: Koen was erased above (his invoice is kept, restricted, under the shared address's id); Sarah lives on.
    const { koen, sarah } = DEMO_CUSTOMERS;
    const before = await scanAll();
    const { id, token } = await fileAndVerify(rt, { type: 'access', email: sarah.email, language: 'nl' }, [
      sarah.email,
    ]);
    await reachStatus(rt, id, token, ['awaiting_identity_check']);

    // Act: the runtime stops and starts again on the same data; the execution is picked up from the top.
    await rt.restart();
    doc = connect();
    // Assess: still waiting, nothing exported.
    expect((await statusOf(id, token)).status).toBe('awaiting_identity_check');

    // Act: staff pick Sarah, approve, and the access request runs to its end.
    const approver = await rt.staffToken('approver');
    const pick = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/resolve`, {
      token: approver,
      body: { customerNumber: sarah.customerNumber },
    });
    expect(pick.status).toBe(200);
    const done = (await approveAndFinish(rt, id, token)).done;

    // Assess: completed; billing and CRM exported exactly her records; his kept invoice is not among them.
    expect(done.status).toBe('completed');
    const view = await staffView(id);
    const hersIn = (system: string) =>
      (before[system] as Item[]).filter((i) => i.customerNumber === sarah.customerNumber).length;
    for (const system of ['billing', 'crm']) {
      const s = view.systems.find((x) => x.system === system);
      expect(s?.located, system).toEqual({ found: true, records: hersIn(system) });
      expect(s?.outcomes, system).toEqual([
        expect.objectContaining({ kind: 'exported', records: hersIn(system) }),
      ]);
    }
    expect((before.billing as Item[]).some((i) => i.customerNumber === koen.customerNumber)).toBe(true);
    expect(await scanAll()).toEqual(before);
  }, 240_000);

  it('lets staff reject it while it waits when nobody can say who filed it: the subject is told, no store changes (P8, P10, Art. 12(4))', async () => {
    // Prepare: an erasure from the shared address, waiting for the pick.
    const { sarah } = DEMO_CUSTOMERS;
    const before = await scanAll();
    const { id, token, seen } = await fileAndVerify(
      rt,
      { type: 'erasure', email: sarah.email, language: 'nl' },
      [sarah.email],
    );
    await reachStatus(rt, id, token, ['awaiting_identity_check']);

    // Act: staff reject it: the identity could not be established.
    const rejected = await reject(rt, id, 'identity_not_established');

    // Assess: rejected and closed; a refusal mail reaches the address; nobody's records changed.
    expect(rejected.status).toBe(200);
    await eventually(
      async () => ((await staffView(id)).closedAt ? true : undefined),
      60_000,
      'the rejected request to close',
    );
    expect((await statusOf(id, token)).status).toBe('rejected');
    const told = await waitForMail(
      rt.sesUrl,
      sarah.email,
      (m) => !seen.has(m.messageId) && !/\b\d{8}\b/.test(m.body.text ?? ''),
    );
    expect(told.body.text).toContain('Gegevensbeschermingsautoriteit');
    expect(await scanAll()).toEqual(before);
  }, 120_000);
});
