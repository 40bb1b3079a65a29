// The retention sweep's part of the connector contract (P11), run against every system's connector on DynamoDB
// Local seeded with the demo data: each reports a customer's last activity and contract, lists its subjects in
// order from its subject list, and names every address it holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoConnectorStores } from '../../functions/aws/system-store.ts';
import { CONNECTOR_FACTORIES } from '../../functions/connectors/wiring.ts';
import { SHARDS } from '../../functions/core/retention-sweep.ts';
import { SYSTEMS } from '../../functions/core/schemas.ts';
import {
  DEMO_CUSTOMERS,
  type DemoCustomer,
  INACTIVE_CUSTOMERS,
  seedDemoData,
} from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { startTestDynamoDb, type TestDynamoDb } from '../helpers/dynamodb.ts';

const NOW = new Date('2026-11-25T09:00:00.000Z');
const EVERYONE: DemoCustomer[] = [...Object.values(DEMO_CUSTOMERS), ...Object.values(INACTIVE_CUSTOMERS)];
const ctx = { requestId: 'r_ActivityContract000000001', now: NOW };
let db: TestDynamoDb;

const connector = (system: (typeof SYSTEMS)[number]) =>
  CONNECTOR_FACTORIES[system](dynamoConnectorStores(db.doc, TABLE_NAMES.system(system), { pageSize: 3 }));

beforeAll(async () => {
  db = await startTestDynamoDb();
  await seedDemoData(db.doc, NOW);
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

describe.each(SYSTEMS)('Connector contract, retention sweep: %s (P11)', (system) => {
  const holders = EVERYONE.filter((c) => (c.systems as readonly string[]).includes(system));

  it('reports each customer it holds as found, dated, with the address on file, and a stranger as not found', async () => {
    // Act: ask for every demo customer by number alone, and for a number nobody has
    const reports = await Promise.all(
      EVERYONE.map((c) => connector(system).activity({ email: '', customerNumber: c.customerNumber }, ctx)),
    );
    const stranger = await connector(system).activity({ email: '', customerNumber: 'C-999999' }, ctx);

    // Assess: found exactly where the customer lives, with a date no later than now and their address
    for (const [i, c] of EVERYONE.entries()) {
      const report = reports[i];
      if (!holders.includes(c)) {
        expect(report, `${system} ${c.customerNumber}`).toEqual({ kind: 'not_found' });
        continue;
      }
      expect(report?.kind, `${system} ${c.customerNumber}`).toBe('found');
      if (report?.kind !== 'found') continue;
      expect(Date.parse(report.lastActivityAt ?? '')).toBeLessThanOrEqual(NOW.getTime());
      expect(report.emails).toContain(c.email);
    }
    expect(stranger).toEqual({ kind: 'not_found' });
  });

  it('lists exactly its customers from its subject list, each shard in order', async () => {
    // Act: read every shard, page by page
    const listed: string[] = [];
    for (const shard of SHARDS) {
      const numbers: string[] = [];
      for await (const page of connector(system).subjects(shard)) numbers.push(...page);
      // Assess: each shard sorted, without repeats
      expect(numbers).toEqual([...new Set(numbers)].sort());
      listed.push(...numbers);
    }
    // Assess: every customer of the system, once
    expect(listed.sort()).toEqual(holders.map((c) => c.customerNumber).sort());
  });

  it('names every address it holds, for re-applying erasures after a restore (P3)', async () => {
    // Act: page through the addresses
    const addresses = new Set<string>();
    for await (const page of connector(system).addresses()) for (const a of page) addresses.add(a);
    // Assess: each customer's address is there
    for (const c of holders) expect(addresses, `${system} ${c.email}`).toContain(c.email);
  });
});

describe('Connector contract, retention sweep: billing knows a running contract (P11)', () => {
  it('reports Wim’s prepaid contract as running, and Griet’s ended one as not', async () => {
    // Act
    const wim = await connector('billing').activity(
      { email: '', customerNumber: INACTIVE_CUSTOMERS.wim.customerNumber },
      ctx,
    );
    const griet = await connector('billing').activity(
      { email: '', customerNumber: INACTIVE_CUSTOMERS.griet.customerNumber },
      ctx,
    );
    // Assess
    expect(wim).toMatchObject({ kind: 'found', contractRunning: true });
    expect(griet).toMatchObject({ kind: 'found', contractRunning: false });
  });
});
