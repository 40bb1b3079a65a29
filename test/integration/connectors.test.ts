// The shared connector contract suite (DESIGN: Connector contract), run against every system's connector on
// DynamoDB Local seeded with the demo data, plus the Lambda handler's idempotency marker.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBillingConnector } from '../../functions/connectors/billing/connector.ts';
import { ConnectorResultSchema, opsKey } from '../../functions/connectors/connector-handler.ts';
import { createCrmConnector } from '../../functions/connectors/crm/connector.ts';
import { createMarketingConnector } from '../../functions/connectors/marketing/connector.ts';
import { CONTACT_AND_FINANCIAL_FIELDS, findFields } from '../../functions/connectors/records.ts';
import type { StoreConnector } from '../../functions/connectors/store.ts';
import { createSupportConnector } from '../../functions/connectors/support/connector.ts';
import type { ConnectorResult } from '../../functions/core/connector.ts';
import { requestKey } from '../../functions/core/request.ts';
import { Outcome, type SystemName } from '../../functions/core/schemas.ts';
import {
  DEMO_CUSTOMERS,
  type DemoCustomer,
  demoData,
  SEED_MARKER,
  seedDemoData,
} from '../../local/demo-data.ts';
import { freePort, startDynamoDb } from '../../local/dynamodb.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { startTestDynamoDb, type TestDynamoDb } from '../helpers/dynamodb.ts';

// The clock sits in February, so An's monthly invoices straddle a year end and their purge dates differ.
const NOW = new Date('2026-02-16T09:30:00.000Z');
const an: DemoCustomer = DEMO_CUSTOMERS.an;
const AN_REF = 's_anDevosTestSubjectRef000000000';
const ctx = (requestId = 'r_contract0000000000000000') => ({ requestId, now: NOW });

type Item = Record<string, unknown> & { pk: string; sk: string };
type Factory = (deps: { doc: TestDynamoDb['doc']; table: string }) => StoreConnector;

const CASES: { system: SystemName; create: Factory; stranger: string }[] = [
  { system: 'billing', create: createBillingConnector, stranger: DEMO_CUSTOMERS.luc.email },
  { system: 'crm', create: createCrmConnector, stranger: 'nobody.known@example.be' },
  { system: 'support', create: createSupportConnector, stranger: DEMO_CUSTOMERS.luc.email },
  { system: 'marketing', create: createMarketingConnector, stranger: DEMO_CUSTOMERS.noor.email },
];

let db: TestDynamoDb;

beforeAll(async () => {
  db = await startTestDynamoDb();
  process.env.CLOCK_START = NOW.toISOString();
});

afterAll(async () => {
  await db?.stop();
});

async function scan(system: SystemName): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({ TableName: TABLE_NAMES.system(system), ExclusiveStartKey: start }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Puts one system's store back to the demo data alone. */
async function reseed(system: SystemName) {
  const table = TABLE_NAMES.system(system);
  // Idempotency markers stay: they belong to requests, not to the demo data.
  for (const item of (await scan(system)).filter((i) => !i.pk.startsWith('OPS#'))) {
    await db.doc.send(new DeleteCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } }));
  }
  for (const Item of demoData(NOW)[system]) await db.doc.send(new PutCommand({ TableName: table, Item }));
}

const hers = (system: SystemName, c: DemoCustomer = an) =>
  demoData(NOW)[system].filter((i) => i.customerNumber === c.customerNumber);

/** Strings that identify An; none may survive outside a restricted invoice. */
const AN_TRACES = [an.email, an.phone, 'Devos', an.customerNumber, an.iban as string];

const expectValidOutcomes = (outcomes: unknown[]) => {
  for (const o of outcomes) expect(Outcome.safeParse(o).success, JSON.stringify(o)).toBe(true);
};

describe.each(CASES)('Connector: $system', ({ system, create, stranger }) => {
  const connector = () => create({ doc: db.doc, table: TABLE_NAMES.system(system) });
  const holdsAn = (an.systems as string[]).includes(system);

  it('locates the subject with a record count and the categories it holds (P1, P16)', async () => {
    await reseed(system);
    const expected = hers(system);

    const located = await connector().locate({ email: an.email, subjectRef: AN_REF }, ctx());

    expect(holdsAn).toBe(true);
    expect(located).toEqual({
      found: true,
      records: expected.length,
      categories: [...new Set(expected.map((i) => String(i.category)))].sort(),
    });
  });

  it('answers not_found, and changes nothing, for someone it never knew', async () => {
    await reseed(system);
    const before = await scan(system);

    const located = await connector().locate({ email: stranger }, ctx());
    const outcomes = await connector().erase({ email: stranger, subjectRef: 's_stranger' }, ctx());

    expect(located).toEqual({ found: false, records: 0, categories: [] });
    expect(outcomes).toEqual([{ kind: 'not_found' }]);
    expect(await scan(system)).toHaveLength(before.length);
  });

  it('erases the subject: nothing outside restricted invoices mentions her e-mail, phone, name, number or IBAN (P3)', async () => {
    await reseed(system);
    const expected = hers(system);

    const outcomes = await connector().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    expectValidOutcomes(outcomes);
    const counted = outcomes.reduce((n, o) => n + ('records' in o ? o.records : 0), 0);
    expect(counted).toBe(expected.length);
    const after = await scan(system);
    for (const item of after.filter((i) => i.restricted !== true)) {
      const text = JSON.stringify(item);
      for (const trace of AN_TRACES) expect(text, `${item.pk} ${item.sk}`).not.toContain(trace);
    }
    const restricted = after.filter((i) => i.restricted === true);
    expect(restricted.length > 0).toBe(system === 'billing');
  });

  it('is idempotent: a repeat erase changes nothing and reports only what is still kept', async () => {
    await reseed(system);
    const first = await connector().erase({ email: an.email, subjectRef: AN_REF }, ctx());
    const between = await scan(system);

    const second = await connector().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    expectValidOutcomes(second);
    const retained = first.filter((o) => o.kind === 'retained');
    expect(second).toEqual(retained.length > 0 ? retained : [{ kind: 'not_found' }]);
    expect(await scan(system)).toEqual(between);
  });

  it('leaves every other customer untouched', async () => {
    await reseed(system);
    const others = (items: Item[]) =>
      items
        .filter((i) => i.customerNumber !== an.customerNumber && !i.pk.startsWith('RESTRICTED#'))
        .sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
    const before = others(await scan(system));

    await connector().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    expect(others(await scan(system))).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
  });
});

describe('Connector: billing retention', () => {
  const billing = () => createBillingConnector({ doc: db.doc, table: TABLE_NAMES.system('billing') });

  it('keeps invoices under legal retention, stripped of contact data and IBAN, until 31-12 of invoice year + 10 (P3)', async () => {
    await reseed('billing');
    const invoices = hers('billing').filter((i) => String(i.sk).startsWith('INVOICE#'));

    const outcomes = await billing().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    const kept = (await scan('billing')).filter((i) => i.restricted === true);
    expect(kept).toHaveLength(invoices.length);
    expect(invoices.length).toBeGreaterThanOrEqual(3);
    for (const item of kept) {
      const original = invoices.find((i) => i.sk === item.sk) as Item;
      const year = Number(String(original.invoiceDate).slice(0, 4));
      expect(findFields(item, CONTACT_AND_FINANCIAL_FIELDS)).toEqual([]);
      for (const trace of [an.email, an.phone, an.iban as string])
        expect(JSON.stringify(item)).not.toContain(trace);
      expect(item.retention).toMatchObject({ ground: 'fiscal_retention', until: `${year + 10}-12-31` });
      expect(item).toMatchObject({
        invoiceNumber: original.invoiceNumber,
        total: original.total,
        lines: original.lines,
      });
      expect((item.payment as Record<string, unknown>).paidAt).toBeDefined();
    }
    const retained = outcomes.filter((o) => o.kind === 'retained');
    expect(new Set(retained.map((o) => o.until))).toEqual(new Set(['2035-12-31', '2036-12-31']));
    for (const o of retained) {
      expect(o).toMatchObject({ category: 'contract', ground: 'fiscal_retention' });
      expect(o.kind === 'retained' && o.kept).toEqual(
        expect.arrayContaining(['invoiceNumber', 'name', 'payment']),
      );
      expect(o.kind === 'retained' && o.kept).not.toContain('email');
    }
    expect(outcomes.filter((o) => o.kind === 'erased').map((o) => 'category' in o && o.category)).toEqual([
      'financial',
      'identification',
      'usage',
    ]);
  });

  it('keeps an unpaid invoice on the open-claim ground (P3)', async () => {
    await reseed('billing');
    const jan = DEMO_CUSTOMERS.jan;

    const outcomes = await billing().erase({ email: jan.email, subjectRef: 's_janPeetersTestRef' }, ctx());

    expect(outcomes).toContainEqual(
      expect.objectContaining({ kind: 'retained', ground: 'open_claim', records: 1 }),
    );
    expect(outcomes).toContainEqual(
      expect.objectContaining({ kind: 'retained', ground: 'fiscal_retention', records: 1 }),
    );
  });

  it('finds the kept invoices again by the pseudonymous subject id, never by the erased address', async () => {
    await reseed('billing');
    await billing().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    const withRef = await billing().locate({ email: an.email, subjectRef: AN_REF }, ctx());
    const withoutRef = await billing().locate({ email: an.email }, ctx());

    expect(withRef).toMatchObject({ found: true, categories: ['contract'] });
    expect(withoutRef).toEqual({ found: false, records: 0, categories: [] });
  });
});

describe('Connector handler', () => {
  const requestId = 'r_HandlerTest00000000001';
  let billingHandler: (event: unknown, context: Context) => Promise<ConnectorResult>;
  const context = {} as Context;

  beforeAll(async () => {
    // Imported only now: the module makes its client once, with the environment the helper set.
    ({ handler: billingHandler } = await import('../../functions/connectors/billing/handler.ts'));
    await db.doc.send(
      new PutCommand({
        TableName: TABLE_NAMES.requests,
        Item: {
          ...requestKey(requestId),
          kind: 'request',
          id: requestId,
          email: an.email,
          subjectRef: AN_REF,
        },
      }),
    );
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const marker = (operation: 'locate' | 'erase', attempt: number) =>
    db.doc.send(
      new GetCommand({
        TableName: TABLE_NAMES.system('billing'),
        Key: opsKey(requestId, operation, attempt),
      }),
    );

  it('runs an erase once per request, system, operation and attempt, and answers the recorded result again', async () => {
    await reseed('billing');
    const event = { requestId, attempt: 1, system: 'billing', operation: 'erase' };

    const first = await billingHandler(event, context);
    await reseed('billing'); // her records are back: a second run would erase them again
    const second = await billingHandler(event, context);

    expect(ConnectorResultSchema.parse(first)).toEqual(first);
    expect(first.outcomes.some((o) => o.kind === 'erased')).toBe(true);
    expect(second).toEqual(first);
    expect((await marker('erase', 1)).Item?.result).toEqual(first);
    expect(
      (await scan('billing')).filter((i) => i.customerNumber === an.customerNumber && !i.restricted),
    ).not.toHaveLength(0);
  });

  it('acts again for a new attempt (a staff retry) and keeps its own marker', async () => {
    await reseed('billing');
    await billingHandler({ requestId, attempt: 2, system: 'billing', operation: 'erase' }, context);

    const third = await billingHandler(
      { requestId, attempt: 3, system: 'billing', operation: 'erase' },
      context,
    );

    expect(third.outcomes.every((o) => o.kind === 'retained')).toBe(true);
    expect((await marker('erase', 3)).Item).toBeDefined();
  });

  it('locates through the handler and logs ids and counts, never her address, name or IBAN (P15)', async () => {
    await reseed('billing');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });

    const result = await billingHandler(
      { requestId, attempt: 4, system: 'billing', operation: 'locate' },
      context,
    );

    vi.restoreAllMocks();
    expect(result.located).toMatchObject({ found: true });
    expect(result.outcomes).toEqual([]);
    const logged = lines.join('');
    expect(logged).toContain(requestId);
    for (const trace of [an.email, 'Devos', an.iban as string, an.phone]) expect(logged).not.toContain(trace);
  });

  it('refuses an event meant for another system', async () => {
    await expect(
      billingHandler({ requestId, attempt: 1, system: 'crm', operation: 'erase' }, context),
    ).rejects.toThrow(/crm/);
  });
});

describe('Demo data seeding', () => {
  it('seeds once: a restart does not bring back what an erasure removed', async () => {
    await reseed('crm');
    await db.doc.send(new PutCommand({ TableName: TABLE_NAMES.system('crm'), Item: { ...SEED_MARKER } }));
    await createCrmConnector({ doc: db.doc, table: TABLE_NAMES.system('crm') }).erase(
      { email: an.email },
      ctx(),
    );

    const wrote = await seedDemoData(db.doc, NOW);

    expect(wrote).toBe(true); // the other, unmarked stores were seeded
    const crm = await scan('crm');
    expect(crm.some((i) => i.customerNumber === an.customerNumber)).toBe(false);
    expect(await seedDemoData(db.doc, NOW)).toBe(false);
  });
});

describe('DynamoDB Local for the embedded runtime', () => {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    // An orphan that was killed may linger as a zombie until its new parent reaps it.
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  };

  it('ends the Java process a SIGKILLed runtime left holding the port, and starts again on the same data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jsm-ddb-'));
    const dbPath = join(dir, 'db');
    const port = await freePort();
    const script = join(dir, 'hold.mts');
    const module = pathToFileURL(resolve('local/dynamodb.ts')).href;
    writeFileSync(
      script,
      `import { startDynamoDb } from ${JSON.stringify(module)};\n` +
        `await startDynamoDb({ port: ${port}, dbPath: ${JSON.stringify(dbPath)} });\n` +
        `console.log('READY');\nsetInterval(() => {}, 1000);\n`,
    );
    const runtime = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((ready, fail) => {
      runtime.stdout.on('data', (chunk) => String(chunk).includes('READY') && ready());
      runtime.once('exit', () => fail(new Error('the runtime exited before DynamoDB Local was up')));
    });
    const stale = (JSON.parse(readFileSync(`${dbPath}.pid`, 'utf8')) as { pid: number }).pid;
    runtime.kill('SIGKILL');
    await new Promise((gone) => runtime.once('exit', gone));
    expect(alive(stale)).toBe(true);

    const again = await startDynamoDb({ port, dbPath });

    expect(alive(stale)).toBe(false);
    const fresh = (JSON.parse(readFileSync(`${dbPath}.pid`, 'utf8')) as { pid: number }).pid;
    await again.stop();
    expect(alive(fresh)).toBe(false);
    expect(existsSync(`${dbPath}.pid`)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses, naming the holder, a port held by a program that is not ours', async () => {
    const server = createServer();
    const port = await freePort();
    await new Promise<void>((listening) => server.listen(port, listening));

    await expect(startDynamoDb({ port })).rejects.toThrow(/held by process \d+|in use/);

    await new Promise((closed) => server.close(closed));
  });
});
