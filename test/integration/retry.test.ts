// A system that is down leaves the request partially completed and the subject untold; staff retry it once the
// system is back, and only what failed acts again (DESIGN: Retry on AWS; PROMISES P3).
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { createTables, TABLE_NAMES } from '../../local/tables.ts';
import { call, codeIn, eventually, inbox, waitForMail } from '../helpers/api.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  rt = await startRuntime({ clock: '2026-11-25T09:00:00Z' });
  dynamo = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: rt.dynamodbEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  await rt?.stop();
});

describe('Retry of a partially completed request', () => {
  it('never tells the subject while a system is down, and completes once staff retry after it is back (P3)', async () => {
    const noor = DEMO_CUSTOMERS.noor;
    // Prepare: support is down (its store is gone) while Noor asks to be erased.
    await dynamo.send(new DeleteTableCommand({ TableName: TABLE_NAMES.system('support') }));
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'erasure', email: noor.email, language: 'en' },
    });
    const id = filed.json.id as string;
    const code = codeIn(await waitForMail(rt.sesUrl, noor.email));
    const token = (await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code } })).json
      .statusToken as string;
    const approver = await rt.staffToken('approver');
    await eventually(async () => {
      const res = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: approver });
      return res.status === 200 ? true : undefined;
    }, 60_000);
    const status = async () => (await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json;

    // Act: the workflow retries support with backoff, gives up on it alone, and closes as partially completed.
    const partial = await eventually(
      async () => ((await status()).status === 'partially_completed' ? status() : undefined),
      90_000,
      'the request to close partially completed',
    );
    // Assess: support failed, CRM done, and Noor has not been told
    const systems = partial.systems as { system: string; state: string }[];
    expect(systems.find((s) => s.system === 'support')?.state).toBe('failed');
    expect(systems.find((s) => s.system === 'crm')?.state).toBe('done');
    const told = (await inbox(rt.sesUrl)).filter(
      (m) => m.destination.to.includes(noor.email) && m.subject.includes('carried out'),
    );
    expect(told).toHaveLength(0);

    // Act: support is back; a viewer, then an approver, retries.
    await createTables(dynamo);
    const viewer = await rt.staffToken('viewer');
    // Assess: the viewer is forbidden; the approver starts attempt 2
    expect((await call(rt.apiUrl, 'POST', `/admin/requests/${id}/retry`, { token: viewer })).status).toBe(
      403,
    );
    const retried = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/retry`, { token: approver });
    expect(retried.status).toBe(202);
    expect(retried.json).toMatchObject({ status: 'in_progress', attempt: 2 });

    // Act: wait for attempt 2 to finish
    const done = await eventually(
      async () => ((await status()).status === 'completed' ? status() : undefined),
      60_000,
      'the retry to complete',
    );
    // Assess: completed, CRM keeps what it did in the first attempt, and only now is Noor told.
    const crm = (done.systems as { system: string; outcomes: { kind: string }[] }[]).find(
      (s) => s.system === 'crm',
    );
    expect(crm?.outcomes.some((o) => o.kind === 'erased')).toBe(true);
    const mail = await waitForMail(rt.sesUrl, noor.email, (m) => m.subject.includes('carried out'));
    expect(mail.body.text).toContain('Data Protection Authority');
    // Act: retry the completed request
    // Assess: refused with 409
    expect((await call(rt.apiUrl, 'POST', `/admin/requests/${id}/retry`, { token: approver })).status).toBe(
      409,
    );
  });
});
