// Time on the embedded runtime (P9): staff extend a request before its first due date and the subject is told why;
// then the runtime starts again on the same data with its clock a month on (`--clock`), and its expiry sweep, which
// runs at start-up, expires the request never verified and minimises the closed one, while an extension after the
// first due date is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestKey } from '../../functions/core/request.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, codeIn, eventually, waitForMail } from '../helpers/api.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { fileAndVerify, reachStatus, reject } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

// Received on Monday 5 January 2026: first due 4 February, at most 5 April (summer time by then).
const RECEIVED = '2026-01-05T09:00:00Z';
const MONTH_ON = '2026-02-05T09:00:00Z';
const LATEST = '2026-04-05T21:59:59.999Z';
const NOTE = 'Archived invoices in three systems to check';

const dataDir = mkdtempSync(join(tmpdir(), 'jsm-extension-'));
let rt: Runtime;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  rt = await startRuntime({ clock: RECEIVED, dataDir });
  doc = runtimeDocumentClient(rt.dynamodbEndpoint);
});

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The request item as the store holds it. */
const stored = async (id: string) =>
  (
    await doc.send(
      new GetCommand({ TableName: TABLE_NAMES.requests, Key: requestKey(id), ConsistentRead: true }),
    )
  ).Item;

const extend = async (id: string, body: unknown, role: 'viewer' | 'approver' = 'approver') =>
  call(rt.apiUrl, 'POST', `/admin/requests/${id}/extend`, { token: await rt.staffToken(role), body });

// Shared by the tests below, in order: the first runtime files, the second (a month on) sweeps.
const filed = { extended: '', extendedToken: '', late: '', lapsed: '', lapsedCode: '', closed: '' };
const STRANGER = 'someone.new@example.org';

describe('Extension of the period (P9, Art. 12(3))', () => {
  it('extends a request before its first due date: the notice reaches the subject and the status shows it', async () => {
    // Prepare: An's erasure, verified and awaiting approval
    const an = DEMO_CUSTOMERS.an;
    const { id, token } = await fileAndVerify(rt, { type: 'erasure', email: an.email, language: 'nl' }, [
      an.email,
    ]);
    await reachStatus(rt, id, token, ['awaiting_approval']);
    Object.assign(filed, { extended: id, extendedToken: token });
    // Act: a viewer tries, then an approver extends for complexity
    const viewer = await extend(id, { reason: 'complexity', note: NOTE }, 'viewer');
    const answer = await extend(id, { reason: 'complexity', note: NOTE });
    // Assess: the viewer is forbidden; the approver extends to receipt + three months
    expect(viewer.status).toBe(403);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      id,
      dueAt: LATEST,
      extended: { reason: 'complexity', dueAt: LATEST },
    });
    // Assess: the notice in An's language, with the dates and the reason, and nothing of staff's note
    const mail = await waitForMail(rt.sesUrl, an.email, (m) => m.subject.includes('meer tijd'));
    for (const phrase of ['5 januari 2026', '4 februari 2026', '5 april 2026', 'Uw verzoek is complex'])
      expect(mail.body.text).toContain(phrase);
    expect(mail.body.text).toContain('Gegevensbeschermingsautoriteit');
    expect(mail.body.text).not.toContain(NOTE);
    // Assess: the subject's status shows the extension, its ground and the new due date
    const status = await call(rt.apiUrl, 'GET', `/requests/${id}`, { token });
    expect(status.json).toMatchObject({ dueAt: LATEST, extended: { reason: 'complexity', dueAt: LATEST } });
  });

  it('refuses a second extension with 409 already-extended', async () => {
    // Act: extend the extended request again, for the other ground
    const again = await extend(filed.extended, {
      reason: 'number_of_requests',
      note: NOTE,
      dueDate: '2026-03-01',
    });
    // Assess: 409, and the first extension stands
    expect(again.status).toBe(409);
    expect(again.json.type).toBe('https://privacy.jsm.be/problems/already-extended');
    const status = await call(rt.apiUrl, 'GET', `/requests/${filed.extended}`, {
      token: filed.extendedToken,
    });
    expect(status.json.extended).toEqual({ reason: 'complexity', dueAt: LATEST });
  });

  it('refuses a day beyond receipt + three months (422) and a ground the GDPR does not give (400), changing nothing', async () => {
    // Prepare: Luc's access request, verified and awaiting approval
    const luc = DEMO_CUSTOMERS.luc;
    const { id, token } = await fileAndVerify(rt, { type: 'access', email: luc.email, language: 'fr' }, [
      luc.email,
    ]);
    await reachStatus(rt, id, token, ['awaiting_approval']);
    filed.late = id;
    // Act: extend to the day after the last allowed one; then for a ground of our own; then without a note
    const beyond = await extend(id, { reason: 'complexity', note: NOTE, dueDate: '2026-04-06' });
    const backlog = await extend(id, { reason: 'backlog', note: NOTE });
    const unexplained = await extend(id, { reason: 'complexity' });
    // Assess: 422 naming the allowed days, 400 twice, and no extension on the request
    expect(beyond.status).toBe(422);
    expect(beyond.json).toMatchObject({
      type: 'https://privacy.jsm.be/problems/extension-date-not-allowed',
      earliest: '2026-02-05',
      latest: '2026-04-05',
    });
    expect([backlog.status, unexplained.status]).toEqual([400, 400]);
    expect((await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json.extended).toBeUndefined();
  });
});

describe('The pipeline’s own records, a month on (P8, P9, Art. 5(1)(e))', () => {
  beforeAll(async () => {
    // Prepare: a request never verified, and a rectification rejected and closed, on the first runtime
    const lapsed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'portability', email: STRANGER, language: 'en' },
    });
    filed.lapsed = lapsed.json.id as string;
    filed.lapsedCode = codeIn(await waitForMail(rt.sesUrl, STRANGER));
    const { id, token } = await fileAndVerify(
      rt,
      {
        type: 'rectification',
        email: 'an.other@example.org',
        language: 'en',
        changes: { lastName: 'Vermeulen' },
      },
      ['an.other@example.org'],
    );
    await reachStatus(rt, id, token, ['awaiting_approval']);
    expect((await reject(rt, id, 'excessive')).status).toBe(200);
    await eventually(async () => (await stored(id))?.closedAt, 60_000, 'the rejection to close');
    filed.closed = id;
    // Act: the runtime stops and starts again on the same data, its clock a month on; its sweep runs at start-up
    await rt.stop();
    rt = await startRuntime({ clock: MONTH_ON, dataDir, env: { MINIMISE_AFTER_DAYS: '30' } });
    doc = runtimeDocumentClient(rt.dynamodbEndpoint);
  });

  it('expires the request never verified, tells its subject how to start again, and keeps no personal data', async () => {
    // Act: wait for the start-up sweep to minimise it
    const item = await eventually(
      async () => {
        const r = await stored(filed.lapsed);
        return r?.minimisedAt ? r : undefined;
      },
      60_000,
      'the unverified request to expire',
    );
    // Assess: expired, without the address, with its pseudonymous id and dates
    expect(item).toMatchObject({ status: 'expired', email: '', type: 'portability' });
    expect(item.receivedAt).toMatch(/^2026-01-05T/);
    expect(item.subjectRef).toMatch(/^s_/);
    // Assess: the subject was told, in English, how to start again, and the old code no longer works
    const mail = await waitForMail(
      rt.sesUrl,
      STRANGER,
      (m) => m.subject === 'Your data portability request was not confirmed',
    );
    expect(mail.body.text).toContain('file a new one at any time');
    const late = await call(rt.apiUrl, 'POST', `/requests/${filed.lapsed}/verify`, {
      body: { code: filed.lapsedCode },
    });
    expect(late.status).toBe(409);
    // Assess: the audit trail records each step, as staff see it
    const detail = await call(rt.apiUrl, 'GET', `/admin/requests/${filed.lapsed}`, {
      token: await rt.staffToken('viewer'),
    });
    const actions = (detail.json.audit as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['request.expired', 'subject.told', 'request.minimised']));
  });

  it('removes the address and the requested changes of the closed request after the configured period', async () => {
    // Act: wait for the start-up sweep to minimise it
    const item = await eventually(
      async () => {
        const r = await stored(filed.closed);
        return r?.minimisedAt ? r : undefined;
      },
      60_000,
      'the closed request to be minimised',
    );
    // Assess: still rejected, with its reason, dates and pseudonymous id; no address, no new values
    expect(item).toMatchObject({ status: 'rejected', email: '', rejection: { reason: 'excessive' } });
    expect(item.changes).toBeUndefined();
    expect(item.subjectRef).toMatch(/^s_/);
    expect(item.closedAt).toBeDefined();
    expect(item.minimise).toBeUndefined();
  });

  it('refuses an extension after the first due date with 409 extension-too-late, and keeps the one made in time', async () => {
    // Act: extend Luc's request, due on 4 February, on 5 February
    const late = await extend(filed.late, { reason: 'complexity', note: NOTE });
    // Assess: 409; An's extension made in time stands
    expect(late.status).toBe(409);
    expect(late.json).toMatchObject({ type: 'https://privacy.jsm.be/problems/extension-too-late' });
    const status = await call(rt.apiUrl, 'GET', `/requests/${filed.extended}`, {
      token: filed.extendedToken,
    });
    expect(status.json).toMatchObject({
      status: 'awaiting_approval',
      extended: { reason: 'complexity', dueAt: LATEST },
    });
  });
});
