// Proof of erasure end to end on the embedded runtime (P3, P15): after the systems acted, the workflow locates the
// subject again in every system; the audit chain holds what that fresh look found, and a request is completed
// only when it agrees with what the systems said. A system that answered "erased" while its records stayed
// leaves the request partially completed, untold, until a staff retry erases them.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoOperationLedger } from '../../functions/aws/operation-ledger.ts';
import { type AuditEntry, firstBrokenLink } from '../../functions/core/audit.ts';
import { type Recheck, SYSTEMS } from '../../functions/core/schemas.ts';
import { subjectRef } from '../../functions/core/secrets.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../local/asl.ts';
import { DEMO_CUSTOMERS, type DemoCustomer } from '../../local/demo-data.ts';
import { loadAppSecret } from '../../local/secrets.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, inbox, waitForMail } from '../helpers/api.ts';
import { approveAndFinish, fileAndVerify, reachStatus } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  rt = await startRuntime({ clock: '2026-11-25T09:00:00Z' });
  client = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: rt.dynamodbEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  doc = DynamoDBDocumentClient.from(client);
});

afterAll(async () => {
  await rt?.stop();
});

const chainOf = async (id: string) =>
  ((
    await doc.send(
      new QueryCommand({
        TableName: TABLE_NAMES.audit,
        KeyConditionExpression: 'requestId = :r',
        ExpressionAttributeValues: { ':r': id },
      }),
    )
  ).Items ?? []) as AuditEntry[];

/** The records a system store still holds of a customer: by number, address or pseudonymous id (not OPS#). */
async function recordsOf(c: DemoCustomer, system: string) {
  const ref = subjectRef(loadAppSecret(rt.dataDir, LOCAL_REGION, LOCAL_ACCOUNT).value, c.email);
  const items = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system(system) }))).Items ?? [];
  return items.filter(
    (i) =>
      !String(i.pk).startsWith('OPS#') &&
      (i.customerNumber === c.customerNumber || i.email === c.email || i.pk === `RESTRICTED#${ref}`),
  );
}

const doneMailTo = async (email: string) =>
  (await inbox(rt.sesUrl)).filter(
    (m) => m.destination.to.includes(email) && m.subject.includes('uitgevoerd'),
  );

describe('Proof of erasure on the embedded runtime (P3)', () => {
  it('completes an erasure whose fresh look finds only the restricted records, audited once in counts (P3, P15)', async () => {
    // Prepare: An asks to be erased, in Dutch
    const an = DEMO_CUSTOMERS.an;
    const { id, token } = await fileAndVerify(rt, { type: 'erasure', email: an.email, language: 'nl' }, [
      an.email,
    ]);
    // Act: staff approve; the workflow acts, looks again and answers
    const { done } = await approveAndFinish(rt, id, token);
    // Assess: completed, and every system's look agrees with no live record left
    expect(done.status).toBe('completed');
    const systems = done.systems as { system: string; recheck?: Recheck }[];
    expect(systems.map((s) => [s.system, s.recheck?.agrees, s.recheck?.live])).toEqual(
      systems.map((s) => [s.system, true, 0]),
    );
    // Assess: the chain verifies and holds one recheck entry, counts only, nothing of her
    const chain = await chainOf(id);
    expect(firstBrokenLink(chain)).toBe(-1);
    const rechecked = chain.filter((e) => e.action === 'systems.rechecked');
    expect(rechecked).toHaveLength(1);
    const details = rechecked[0]?.details as Record<string, Recheck> & { attempt: number };
    expect(details.attempt).toBe(1);
    for (const value of [an.email, an.phone, an.customerNumber, an.lastName])
      expect(JSON.stringify(rechecked)).not.toContain(value);
    // Assess: the stores hold of her only restricted records, exactly as many as the look counted kept
    let restricted = 0;
    for (const system of SYSTEMS) {
      const left = await recordsOf(an, system);
      for (const item of left)
        expect(item, `${system} ${item.pk}/${item.sk}`).toMatchObject({ restricted: true });
      expect(left.length, system).toBe(details[system]?.kept);
      restricted += left.length;
    }
    expect(restricted).toBeGreaterThanOrEqual(3);
    // Assess: her answer says the check was made, and that only what it lists remains
    const mail = await waitForMail(rt.sesUrl, an.email, (m) => m.subject.includes('uitgevoerd'));
    expect(mail.body.text).toContain(
      'Na de verwijdering hebben we alle systemen opnieuw doorzocht: er blijft niets van uw gegevens over, behalve wat hierboven is vermeld.',
    );
  });

  it('leaves an erasure partially completed and untold when a system said erased but kept the records, until a retry erases them (P3)', async () => {
    // Prepare: Jan asks to be erased; before staff approve, support's erase is on record as done, as if the system
    // had answered "erased" without erasing
    const jan = DEMO_CUSTOMERS.jan;
    const { id, token } = await fileAndVerify(rt, { type: 'erasure', email: jan.email, language: 'nl' }, [
      jan.email,
    ]);
    const support = dynamoOperationLedger(client, TABLE_NAMES.system('support'));
    const claimed = {
      system: 'support',
      operation: 'erase',
      outcomes: [{ kind: 'erased', records: 2, category: 'support' }],
    };
    const key = { requestId: id, system: 'support', operation: 'erase', attempt: 1 };
    const before = (await recordsOf(jan, 'support')).length;

    // Act: staff approve; the workflow acts and looks again
    const { done } = await approveAndFinish(rt, id, token, async () => {
      await support.once(key, 60_000, async () => ({ record: true, result: claimed }));
    });

    // Assess: partially completed; support marked failed by its look, which still found his records; no answer sent
    expect(before).toBeGreaterThan(0);
    expect(done.status).toBe('partially_completed');
    const systems = done.systems as { system: string; state: string; recheck?: Recheck }[];
    const look = systems.find((s) => s.system === 'support');
    expect(look).toMatchObject({
      state: 'failed',
      recheck: { attempt: 1, agrees: false, reasons: ['live_records'] },
    });
    expect(look?.recheck?.live).toBeGreaterThan(0);
    expect(systems.filter((s) => s.system !== 'support').every((s) => s.state === 'done')).toBe(true);
    expect(await doneMailTo(jan.email)).toHaveLength(0);

    // Act: an approver retries; attempt 2 erases in support for real and looks again
    const retried = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/retry`, {
      token: await rt.staffToken('approver'),
    });
    expect(retried.status).toBe(202);
    const after = await reachStatus(rt, id, token, ['completed', 'partially_completed'], 90_000);

    // Assess: completed; support holds nothing of his now; the chain has a look per attempt; the answer says so
    expect(after.status).toBe('completed');
    expect((await recordsOf(jan, 'support')).filter((i) => i.restricted !== true)).toEqual([]);
    const looks = (await chainOf(id)).filter((e) => e.action === 'systems.rechecked');
    expect(looks.map((e) => (e.details as { attempt: number }).attempt)).toEqual([1, 2]);
    const mail = await waitForMail(rt.sesUrl, jan.email, (m) => m.subject.includes('uitgevoerd'));
    expect(mail.body.text).toContain('alle systemen opnieuw doorzocht');
  });
});
