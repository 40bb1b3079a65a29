// The deadline sweep on the embedded runtime, started with a chosen clock (P9, Art. 12(3)–(4)): the figures of open
// requests of chosen ages as Powertools EMF, each staff reminder once, and the interim answer to a subject whose
// request was left partially completed until its due date nears.
import { rmSync } from 'node:fs';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoRequestStore } from '../../functions/aws/request-store.ts';
import { newRequestId } from '../../functions/core/ids.ts';
import type { RequestRecord } from '../../functions/core/request.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { requestRecord } from '../fixtures/requests.ts';
import { call, eventually, inbox } from '../helpers/api.ts';
import { approveAndFinish, fileAndVerify } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const DAY = 86_400_000;
const STAFF = 'privacy-team@jsm.be';
const EVERY_SECOND = { LOCAL_SCHEDULE_EVERY_MS: '1000' };

type Emf = Record<string, unknown> & { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } };

/** The Powertools EMF blobs the runtime's handlers wrote to stdout, oldest first. */
const emf = (rt: Runtime): Emf[] =>
  rt
    .logs()
    .filter((l) => l.startsWith('{') && l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Emf);
const dimensions = (b: Emf) => b._aws.CloudWatchMetrics[0]?.Dimensions[0]?.join(',');
/** How many times the deadline sweep has run so far. */
const sweeps = (rt: Runtime) => rt.logs().filter((l) => l.includes('"message":"Deadline sweep"')).length;
/** Waits until the sweep has run `n` more times. */
async function moreSweeps(rt: Runtime, n: number) {
  const target = sweeps(rt) + n;
  await eventually(async () => (sweeps(rt) >= target ? true : undefined), 60_000, `${n} more sweeps`);
}

const dynamoOf = (rt: Runtime) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: rt.dynamodbEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );

describe('Deadline sweep: figures and staff reminders (P9)', () => {
  const CLOCK = '2026-06-15T08:00:00.000Z';
  let rt: Runtime;
  beforeAll(async () => {
    rt = await startRuntime({ clock: CLOCK, env: EVERY_SECOND });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('publishes open, due-soon and overdue figures per type and status, and reminds staff once per step', async () => {
    // Prepare: requests of chosen ages, written through the request store as the pipeline writes them
    const store = dynamoRequestStore(dynamoOf(rt), TABLE_NAMES.requests);
    const at = (days: number) => new Date(Date.parse(CLOCK) + days * DAY).toISOString();
    const add = async (daysLeft: number, overrides: Partial<RequestRecord>) => {
      const id = newRequestId();
      await store.create(
        requestRecord({
          id,
          pk: `REQ#${id}`,
          email: `${id.toLowerCase()}@ages.example`,
          dueAt: at(daysLeft),
          ...overrides,
        }),
      );
      return id;
    };
    const fresh = await add(28, { type: 'erasure', status: 'in_progress' });
    const tenDays = await add(8.5, { type: 'access', status: 'awaiting_approval' });
    const fiveDays = await add(1.5, { type: 'erasure', status: 'awaiting_approval' });
    const overdue = await add(-1, { type: 'rectification', status: 'in_progress' });
    const partial = await add(20, {
      type: 'objection',
      status: 'partially_completed',
      closedAt: at(-2),
      systems: { crm: { state: 'done', outcomes: [] }, support: { state: 'failed', outcomes: [] } },
    });
    await add(29, { status: 'awaiting_verification' });
    await add(-5, { status: 'completed' });

    // Act: the sweep runs every second; wait for a run that saw all five open requests, then three more runs
    const totals = await eventually(
      async () => emf(rt).findLast((b) => dimensions(b) === 'service' && b.OpenRequests === 5),
      60_000,
      'a sweep that counted the five open requests',
    );
    await moreSweeps(rt, 3);

    // Assess: the totals, on the service dimension alone
    expect(totals).toMatchObject({
      DueWithin7Days: 1,
      DueWithin2Days: 1,
      OverdueRequests: 1,
      PartiallyCompletedOverADay: 1,
      OpenRequestsNeedingAction: 1,
    });
    // Assess: the same figures per type and status, from the latest runs
    const groups = emf(rt).filter((b) => dimensions(b) === 'service,type,status');
    const latest = (type: string, status: string) =>
      groups.findLast((b) => b.type === type && b.status === status);
    expect(latest('erasure', 'awaiting_approval')).toMatchObject({ OpenRequests: 1, DueWithin2Days: 1 });
    expect(latest('rectification', 'in_progress')).toMatchObject({ OpenRequests: 1, OverdueRequests: 1 });
    expect(latest('objection', 'partially_completed')).toMatchObject({ OpenRequests: 1, OverdueRequests: 0 });
    expect(latest('access', 'awaiting_approval')).toMatchObject({ OpenRequests: 1, DueWithin7Days: 0 });
    // Assess: one reminder per request at its step, none for the fresh and the partial one, none repeated
    const staffMails = (await inbox(rt.sesUrl)).filter((m) => m.destination.to.includes(STAFF));
    const about = (id: string) => staffMails.filter((m) => m.subject.includes(id)).map((m) => m.subject);
    expect(about(tenDays)).toEqual([`Reminder: request ${tenDays} (awaiting_approval) is due in 9 days`]);
    expect(about(fiveDays)).toEqual([`Reminder: request ${fiveDays} (awaiting_approval) is due in 2 days`]);
    expect(about(overdue)).toEqual([`Request ${overdue} (in_progress) is past its due date`]);
    expect([...about(fresh), ...about(partial)]).toEqual([]);
    // Assess: the metrics and logs name no one (P15)
    expect(rt.logs().filter((l) => l.includes('@ages.example'))).toEqual([]);
  }, 120_000);
});

describe('Deadline sweep: interim answer (Art. 12(3)–(4))', () => {
  const FILED = '2026-11-02T09:00:00.000Z';
  const noor = DEMO_CUSTOMERS.noor;
  let first: Runtime;
  let later: Runtime | undefined;
  beforeAll(async () => {
    first = await startRuntime({ clock: FILED });
  });
  afterAll(async () => {
    await first?.stop({ keepDataDir: true });
    await later?.stop();
    if (first) rmSync(first.dataDir, { recursive: true, force: true });
  });

  it('flags a partially completed request at once, and gives its subject one interim answer before the due date', async () => {
    // Prepare: support is down while Noor asks to be erased; the request ends partially completed
    await dynamoOf(first).send(new DeleteTableCommand({ TableName: TABLE_NAMES.system('support') }));
    const { id, token } = await fileAndVerify(first, { type: 'erasure', email: noor.email, language: 'en' }, [
      noor.email,
    ]);
    const { done } = await approveAndFinish(first, id, token);
    expect(done.status).toBe('partially_completed');
    // Assess: the alarm metric at once, and the staff list flags it
    const raised = await eventually(
      async () => emf(first).find((b) => dimensions(b) === 'service' && b.RequestsNeedingAction === 1),
      20_000,
      'RequestsNeedingAction',
    );
    expect(raised.service).toBe('privacy-rights');
    const list = await call(first.apiUrl, 'GET', '/admin/requests?status=partially_completed', {
      token: await first.staffToken('viewer'),
    });
    expect(
      (list.json.items as { id: string; attention?: string }[]).find((r) => r.id === id)?.attention,
    ).toBe('partially_completed');

    // Act: nobody acts; the runtime runs again two days before the due date (an extension is still possible)
    const dueAt = done.dueAt as string;
    await first.stop({ keepDataDir: true });
    later = await startRuntime({
      clock: new Date(Date.parse(dueAt) - 2 * DAY).toISOString(),
      dataDir: first.dataDir,
      env: EVERY_SECOND,
    });
    const runtime = later;
    const interim = (m: { subject: string; destination: { to: string[] } }) =>
      m.destination.to.includes(noor.email) && m.subject === 'Your erasure request: where it stands';
    await eventually(
      async () => ((await inbox(runtime.sesUrl)).some(interim) ? true : undefined),
      60_000,
      'the interim answer',
    );
    await moreSweeps(runtime, 3);

    // Assess: one interim answer, in English: done, pending, why, the possible extension, the authority, the court
    const answers = (await inbox(runtime.sesUrl)).filter(interim);
    expect(answers).toHaveLength(1);
    const text = answers[0]?.body.text ?? '';
    expect(text).toContain('Already done in: ');
    expect(text).toContain('Customer records');
    expect(text).toContain('Still to be done in: Customer support.');
    expect(text).toContain('a technical fault kept that system from finishing');
    expect(text).toContain('extend that period by at most two further months');
    expect(text).toContain('contact@apd-gba.be');
    expect(text).toContain('Article 79');
    // Assess: never reported done, and still partially completed for the subject
    const all = await inbox(runtime.sesUrl);
    expect(all.some((m) => m.destination.to.includes(noor.email) && m.subject.includes('carried out'))).toBe(
      false,
    );
    const status = await call(runtime.apiUrl, 'GET', `/requests/${id}`, { token });
    expect(status.json.status).toBe('partially_completed');
  }, 420_000);
});
