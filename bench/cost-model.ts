// The arithmetic of the cost benchmark (bench/cost.ts): what one request used, counted from the run's own records
// (the interpreter's execution history, the local invoker's invocation log, the SDK clients' usage log), and what
// that costs at the eu-west-1 prices of bench/prices-eu-west-1.json. Pure: unit-tested with known inputs.
import { readFileSync } from 'node:fs';
import type { UsageRecord } from '../functions/aws/usage-meter.ts';
import type { InvocationRecord } from '../local/lambda.ts';

/** What AWS would bill for one request, by meter. */
export interface Usage {
  /** Step Functions Standard bills every state entered, Map iterations' states included */
  transitions: number;
  invocations: number;
  /** Lambda GB-seconds at each function's configured memory, each invocation rounded up to the millisecond */
  gbSeconds: number;
  /** invocations of API routes: each is one API Gateway request */
  apiRequests: number;
  readUnits: number;
  writeUnits: number;
  s3Put: number;
  s3Get: number;
  sesMessages: number;
  secretsCalls: number;
}

export type PriceKey =
  | 'stepFunctionsTransition'
  | 'lambdaRequest'
  | 'lambdaGbSecondArm'
  | 'dynamoDbReadRequestUnit'
  | 'dynamoDbWriteRequestUnit'
  | 's3PutRequest'
  | 's3GetRequest'
  | 'sesMessage'
  | 'secretsManagerCall'
  | 'apiGatewayRequest';

export interface PriceTable {
  region: string;
  currency: string;
  takenOn: string;
  note: string;
  prices: Record<PriceKey, { usd: number; per: string; source: string }>;
}

export const PRICES_FILE = new URL('./prices-eu-west-1.json', import.meta.url);
export const loadPrices = (): PriceTable => JSON.parse(readFileSync(PRICES_FILE, 'utf8'));

const DYNAMO_READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const DYNAMO_WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
// S3's request classes: PUT, COPY, POST and LIST at one price, GET and the rest at another; DELETE and abort are free.
const S3_PUT_CLASS = new Set([
  'PutObject',
  'CopyObject',
  'ListObjects',
  'ListObjectsV2',
  'ListObjectVersions',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'PutObjectTagging',
  'PutObjectRetention',
  'PutObjectLegalHold',
]);
const S3_FREE = new Set(['DeleteObject', 'DeleteObjects', 'AbortMultipartUpload']);

/** Billed state transitions in an execution history: one per state entered. */
export const transitionsIn = (events: { type?: string }[]) =>
  events.filter((e) => e.type?.endsWith('StateEntered')).length;

/** Adds up one request's records into the meters AWS bills. */
export function usageOf(records: {
  events: { type?: string }[];
  invocations: InvocationRecord[];
  calls: UsageRecord[];
  isApiRoute: (entry: string) => boolean;
}): Usage {
  const { events, invocations, calls, isApiRoute } = records;
  const count = (service: string, ops?: Set<string>, not?: Set<string>) =>
    calls.filter((c) => c.service === service && (!ops || ops.has(c.operation)) && !not?.has(c.operation));
  const capacity = (ops: Set<string>) =>
    count('DynamoDB', ops).reduce((sum, c) => sum + (c.capacity ?? 0), 0);
  return {
    transitions: transitionsIn(events),
    invocations: invocations.length,
    gbSeconds: invocations.reduce((sum, i) => sum + (i.memoryMb / 1024) * (Math.ceil(i.ms) / 1000), 0),
    apiRequests: invocations.filter((i) => isApiRoute(i.entry)).length,
    readUnits: capacity(DYNAMO_READS),
    writeUnits: capacity(DYNAMO_WRITES),
    s3Put: count('S3', S3_PUT_CLASS).length,
    s3Get: count('S3', undefined, new Set([...S3_PUT_CLASS, ...S3_FREE])).length,
    sesMessages: count('SESv2', new Set(['SendEmail'])).length,
    secretsCalls: count('SecretsManager').length,
  };
}

/** Which meter each price applies to. */
const METERS: Record<PriceKey, (u: Usage) => number> = {
  stepFunctionsTransition: (u) => u.transitions,
  lambdaRequest: (u) => u.invocations,
  lambdaGbSecondArm: (u) => u.gbSeconds,
  dynamoDbReadRequestUnit: (u) => u.readUnits,
  dynamoDbWriteRequestUnit: (u) => u.writeUnits,
  s3PutRequest: (u) => u.s3Put,
  s3GetRequest: (u) => u.s3Get,
  sesMessage: (u) => u.sesMessages,
  secretsManagerCall: (u) => u.secretsCalls,
  apiGatewayRequest: (u) => u.apiRequests,
};

export interface Cost {
  /** dollars by price */
  lines: Record<PriceKey, number>;
  total: number;
  /** the target's figure: everything but e-mail */
  excludingMail: number;
}

/** What one request's usage costs at the table's prices. */
export function costOf(usage: Usage, table: PriceTable): Cost {
  const lines = Object.fromEntries(
    (Object.keys(METERS) as PriceKey[]).map((k) => [k, METERS[k](usage) * table.prices[k].usd]),
  ) as Record<PriceKey, number>;
  const total = Object.values(lines).reduce((a, b) => a + b, 0);
  return { lines, total, excludingMail: total - lines.sesMessage };
}

/** The median of each meter over repeated requests of one type. */
export function medianUsage(runs: Usage[]): Usage {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
  };
  const keys = Object.keys(runs[0] ?? {}) as (keyof Usage)[];
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))])) as unknown as Usage;
}

/** DynamoDB write units and calls by operation and table, most units first: where a request's writes go. */
export function writesByTable(calls: UsageRecord[]): [string, number, number][] {
  const by = new Map<string, [number, number]>();
  for (const c of calls)
    if (c.service === 'DynamoDB' && DYNAMO_WRITES.has(c.operation)) {
      const key = `${c.operation} ${c.table ?? '?'}`;
      const [units, n] = by.get(key) ?? [0, 0];
      by.set(key, [units + (c.capacity ?? 0), n + 1]);
    }
  return [...by]
    .map(([k, [units, n]]) => [k, units, n] as [string, number, number])
    .sort((a, b) => b[1] - a[1]);
}
