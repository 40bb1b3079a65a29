// The arithmetic of the cost benchmark (issue 12, measurement 3): what a request used, counted from the run's own
// records, and what that costs at the eu-west-1 price table. Known inputs, known dollars; nothing timed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { costSection, type Run } from '../../../bench/cost.ts';
import {
  costOf,
  loadPrices,
  medianUsage,
  type PriceTable,
  transitionsIn,
  type Usage,
  usageOf,
  writesByTable,
} from '../../../bench/cost-model.ts';
import { meterUsage, USAGE_LOG_ENV, type UsageRecord } from '../../../functions/aws/usage-meter.ts';
import type { InvocationRecord } from '../../../local/lambda.ts';

const invocation = (entry: string, memoryMb: number, ms: number): InvocationRecord => ({
  fn: entry,
  entry,
  memoryMb,
  ms,
  ok: true,
});
const NONE: Usage = {
  transitions: 0,
  invocations: 0,
  gbSeconds: 0,
  apiRequests: 0,
  readUnits: 0,
  writeUnits: 0,
  s3Put: 0,
  s3Get: 0,
  sesMessages: 0,
  secretsCalls: 0,
};

describe('Cost benchmark: counting what a request used (issue 12, measurement 3)', () => {
  it('counts one billed transition per state entered, the states of Map iterations included', () => {
    // Prepare: a history with a Task, a Map with two iterations, a Choice and the events that are not transitions
    const events = [
      { type: 'ExecutionStarted' },
      { type: 'TaskStateEntered' },
      { type: 'TaskScheduled' },
      { type: 'TaskStateExited' },
      { type: 'MapStateEntered' },
      { type: 'MapIterationStarted' },
      { type: 'TaskStateEntered' },
      { type: 'TaskStateEntered' },
      { type: 'ChoiceStateEntered' },
      { type: 'SucceedStateEntered' },
      { type: 'ExecutionSucceeded' },
    ];
    // Act
    const transitions = transitionsIn(events);
    // Assess
    expect(transitions).toBe(6);
  });

  it('adds up GB-seconds at each function’s memory, rounded up to the millisecond; API routes are API requests', () => {
    // Prepare: an API route at 512 MB for 99.2 ms, a connector at 1,024 MB for 500 ms
    const invocations = [
      invocation('functions/api/create-request.ts', 512, 99.2),
      invocation('functions/connectors/crm/handler.ts', 1024, 500),
    ];
    // Act
    const usage = usageOf({
      events: [],
      invocations,
      calls: [],
      isApiRoute: (entry) => entry.startsWith('functions/api/'),
    });
    // Assess: 0.5 GB × 0.1 s + 1 GB × 0.5 s
    expect(usage.invocations).toBe(2);
    expect(usage.gbSeconds).toBeCloseTo(0.55, 10);
    expect(usage.apiRequests).toBe(1);
  });

  it('splits DynamoDB capacity into reads and writes and S3 requests into their price classes, deletes free', () => {
    // Prepare
    const calls: UsageRecord[] = [
      { service: 'DynamoDB', operation: 'GetItem', capacity: 0.5, table: 'requests' },
      { service: 'DynamoDB', operation: 'Query', capacity: 2, table: 'requests' },
      { service: 'DynamoDB', operation: 'TransactWriteItems', capacity: 4, table: 'audit+requests' },
      { service: 'DynamoDB', operation: 'PutItem', capacity: 1, table: 'requests' },
      { service: 'DynamoDB', operation: 'UpdateItem', capacity: 1, failed: true, table: 'requests' },
      { service: 'S3', operation: 'PutObject' },
      { service: 'S3', operation: 'UploadPart' },
      { service: 'S3', operation: 'GetObject' },
      { service: 'S3', operation: 'HeadObject' },
      { service: 'S3', operation: 'DeleteObject' },
      { service: 'SESv2', operation: 'SendEmail' },
      { service: 'SecretsManager', operation: 'GetSecretValue' },
    ];
    // Act
    const usage = usageOf({ events: [], invocations: [], calls, isApiRoute: () => false });
    const writes = writesByTable(calls);
    // Assess: a failed conditional write still costs its unit
    expect(usage).toMatchObject({
      readUnits: 2.5,
      writeUnits: 6,
      s3Put: 2,
      s3Get: 2,
      sesMessages: 1,
      secretsCalls: 1,
    });
    expect(writes).toEqual([
      ['TransactWriteItems audit+requests', 4, 1],
      ['PutItem requests', 1, 1],
      ['UpdateItem requests', 1, 1],
    ]);
  });

  it('prices a known usage at the table: known counts give known dollars, e-mail apart', () => {
    // Prepare: a table of round prices
    const table = {
      ...loadPrices(),
      prices: Object.fromEntries(
        Object.entries(loadPrices().prices).map(([k, v]) => [k, { ...v, usd: 0.001 }]),
      ),
    } as PriceTable;
    const usage: Usage = { ...NONE, transitions: 30, gbSeconds: 2.5, writeUnits: 10, sesMessages: 3 };
    // Act
    const cost = costOf(usage, table);
    // Assess: (30 + 2.5 + 10 + 3) × $0.001, the three mails apart
    expect(cost.total).toBeCloseTo(0.0455, 12);
    expect(cost.excludingMail).toBeCloseTo(0.0425, 12);
    expect(cost.lines.stepFunctionsTransition).toBeCloseTo(0.03, 12);
  });

  it('prices 30 transitions at $0.00075 with the eu-west-1 table, whose every price names its source page', () => {
    // Prepare
    const table = loadPrices();
    // Act
    const cost = costOf({ ...NONE, transitions: 30 }, table);
    // Assess
    expect(cost.total).toBeCloseTo(0.00075, 12);
    expect(table.region).toBe('eu-west-1');
    expect(table.takenOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const price of Object.values(table.prices)) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(price.usd).toBeGreaterThan(0);
    }
  });

  it('reports the four-system erasure against its targets: 31 transitions is a miss, the median of repeats counts', () => {
    // Prepare: two erasures, 31 and 29 transitions (median 30: met), and one access
    const runs = new Map<string, Run[]>([
      [
        'erasure',
        [
          { status: 'SUCCEEDED', usage: { ...NONE, transitions: 31 } },
          { status: 'SUCCEEDED', usage: { ...NONE, transitions: 29 } },
        ],
      ],
      ['access', [{ status: 'SUCCEEDED', usage: { ...NONE, transitions: 40 } }]],
    ]);
    // Act
    const section = costSection(runs, loadPrices());
    const missed = costSection(
      new Map([['erasure', [{ status: 'SUCCEEDED', usage: { ...NONE, transitions: 31 } }]]]),
      loadPrices(),
    );
    // Assess
    const [transitions, dollars] = section.figures;
    expect(transitions).toMatchObject({ median: 30, min: 29, max: 31, target: { met: true } });
    expect(dollars?.target?.met).toBe(true);
    expect(missed.figures[0]?.target?.met).toBe(false);
    expect(section.notes).toContain('| access | 40 |');
    expect(section.notes).toContain('$1,400–1,500 per request');
    expect(medianUsage(runs.get('erasure')?.map((r) => r.usage) ?? []).transitions).toBe(30);
  });
});

describe('The usage meter of the SDK clients (opt-in, P15: names and numbers only)', () => {
  let dir: string | undefined;
  afterEach(() => {
    delete process.env[USAGE_LOG_ENV];
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A client whose middleware stack keeps what is added to it. */
  const client = () => {
    const added: unknown[] = [];
    return { added, middlewareStack: { add: (m: unknown) => added.push(m) } };
  };

  it('leaves a client untouched unless AWS_USAGE_LOG is set', () => {
    // Prepare
    const c = client();
    // Act
    meterUsage(c);
    // Assess
    expect(c.added).toEqual([]);
  });

  it('asks DynamoDB for its consumed capacity and logs operation, table and units, never a key', async () => {
    // Prepare
    dir = mkdtempSync(join(tmpdir(), 'usage-'));
    process.env[USAGE_LOG_ENV] = join(dir, 'usage.jsonl');
    const c = client();
    meterUsage(c);
    const middleware = c.added[0] as (
      next: (args: unknown) => Promise<unknown>,
      context: Record<string, string>,
    ) => (args: { input: Record<string, unknown> }) => Promise<unknown>;
    const input: Record<string, unknown> = { TableName: 'requests', Key: { pk: 'REQ#secret-id' } };
    let sent: Record<string, unknown> = {};
    // Act
    await middleware(
      async (args) => {
        sent = { ...(args as { input: Record<string, unknown> }).input };
        return { output: { ConsumedCapacity: { CapacityUnits: 1.5 } } };
      },
      { clientName: 'DynamoDBDocumentClient', commandName: 'GetCommand' },
    )({ input });
    // Assess
    const line = readFileSync(join(dir, 'usage.jsonl'), 'utf8');
    expect(sent.ReturnConsumedCapacity).toBe('TOTAL');
    expect(JSON.parse(line)).toEqual({
      service: 'DynamoDB',
      operation: 'Get',
      table: 'requests',
      capacity: 1.5,
    });
    expect(line).not.toContain('secret-id');
  });
});
