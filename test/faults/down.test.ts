// A system down for good, by the fault switch (local/faults.ts): the request ends partially completed, staff are
// alerted, the subject is not told it is done; once the system is back, a retry completes it and does not act again
// where the first attempt succeeded (P3, DESIGN: Retry on AWS; Art. 12(3)).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, eventually, inbox, waitForMail } from '../helpers/api.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { clearFaults, faultsInjected, keepRuntimeLog, setFaults } from '../helpers/faults.ts';
import { approveAndFinish, fileAndVerify, reachStatus } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;

beforeAll(async () => {
  // The workflow's Retry waits 50 ms instead of its back-off: the same attempts before the system counts as down.
  rt = await startRuntime({ clock: '2026-11-25T09:00:00Z', env: { LOCAL_RETRY_INTERVAL_MS: '50' } });
});

afterAll(async () => {
  await rt?.stop();
});

/** The operations a system's connector ran for a request, as its ledger holds them (`erase#1`, ...). */
async function ledger(system: 'crm' | 'support', id: string): Promise<Record<string, unknown>[]> {
  const doc = runtimeDocumentClient(rt.dynamodbEndpoint);
  const res = await doc.send(
    new QueryCommand({
      TableName: TABLE_NAMES.system(system),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `OPS#${id}` },
    }),
  );
  return (res.Items ?? []).filter((i) => String(i.sk).startsWith('erase#'));
}

describe('A system down for good', () => {
  it('leaves the request partially completed, alerts staff, tells the subject nothing, and a retry finishes only what failed (P3)', async () => {
    keepRuntimeLog(() => rt);
    const noor = DEMO_CUSTOMERS.noor;
    // Prepare: support is down for good while Noor asks to be erased.
    setFaults(rt, { support: { mode: 'fail', operations: ['erase'] } });
    const { id, token } = await fileAndVerify(rt, { type: 'erasure', email: noor.email, language: 'en' }, [
      noor.email,
    ]);

    // Act: approve; the workflow retries support with backoff, then gives up on it alone
    const { done: partial } = await approveAndFinish(rt, id, token);

    // Assess: partially completed, support failed, CRM done, staff alerted, Noor not told
    expect(partial.status).toBe('partially_completed');
    const systems = partial.systems as { system: string; state: string }[];
    expect(systems.find((s) => s.system === 'support')?.state).toBe('failed');
    expect(systems.find((s) => s.system === 'crm')?.state).toBe('done');
    // the alarm's metric, published by Close just after it writes the status
    await eventually(
      async () => (rt.logs().some((l) => l.includes('"RequestsNeedingAction":1')) ? true : undefined),
      10_000,
      'the RequestsNeedingAction metric',
    );
    const told = (await inbox(rt.sesUrl)).filter(
      (m) => m.destination.to.includes(noor.email) && m.subject.includes('carried out'),
    );
    expect(told).toHaveLength(0);
    const injected = faultsInjected(rt).support ?? 0;
    // the first try and every one of the connector Retry's 4
    expect(injected).toBe(5);

    // Act: support is back; an approver retries
    clearFaults(rt);
    const approver = await rt.staffToken('approver');
    const retried = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/retry`, { token: approver });
    expect(retried.status).toBe(202);
    const done = await reachStatus(rt, id, token, ['completed', 'partially_completed'], 90_000);

    // Assess: completed; CRM erased in attempt 1 and found nothing more to erase in attempt 2; support erased in
    // attempt 2 only; Noor told once
    expect(done.status).toBe('completed');
    const crm = await ledger('crm', id);
    const support = await ledger('support', id);
    expect(support.map((i) => i.sk)).toEqual(['erase#2']);
    const erasedIn = (items: Record<string, unknown>[], sk: string) =>
      /"kind":"erased"/.test(JSON.stringify(items.find((i) => i.sk === sk) ?? {}));
    expect(erasedIn(crm, 'erase#1')).toBe(true);
    expect(erasedIn(crm, 'erase#2')).toBe(false);
    await waitForMail(rt.sesUrl, noor.email, (m) => m.subject.includes('carried out'));
    const outcomeMails = (await inbox(rt.sesUrl)).filter(
      (m) => m.destination.to.includes(noor.email) && m.subject.includes('carried out'),
    );
    expect(outcomeMails).toHaveLength(1);
    process.stdout.write(
      `[faults] down for good: 1 request, ${injected} faults injected on support, 1 retry, 0 lost, 0 repeated\n`,
    );
  });
});
