// The tables of the embedded runtime, created from the same key schemas the CDK stack uses (functions/registry.ts).
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { ENV } from '../functions/core/config.ts';
import type { SystemName } from '../functions/core/schemas.ts';
import { CONNECTORS } from '../functions/registry.ts';
import { TABLES, type TableSpec } from '../functions/tables.ts';

/** Local table names; on AWS the stack names them and passes the names through ENV. */
export const TABLE_NAMES = {
  requests: 'requests',
  audit: 'audit',
  idempotency: 'idempotency',
  erasures: 'erasures',
  system: (system: SystemName | string) => `system-${system}`,
} as const;

/** Every local table with its spec: requests, audit, idempotency, erasures and one store per connector system. */
export function tableDefinitions(): { name: string; spec: TableSpec }[] {
  return [
    { name: TABLE_NAMES.requests, spec: TABLES.requests },
    { name: TABLE_NAMES.audit, spec: TABLES.audit },
    { name: TABLE_NAMES.idempotency, spec: TABLES.idempotency },
    { name: TABLE_NAMES.erasures, spec: TABLES.erasures },
    ...CONNECTORS.map((c) => ({ name: TABLE_NAMES.system(c.system), spec: TABLES.system as TableSpec })),
  ];
}

/** The environment variables (ENV) that point handlers at the local tables. */
export function tableEnvironment(): Record<string, string> {
  const vars: Record<string, string> = {
    [ENV.requestsTable]: TABLE_NAMES.requests,
    [ENV.auditTable]: TABLE_NAMES.audit,
    [ENV.idempotencyTable]: TABLE_NAMES.idempotency,
    [ENV.erasuresTable]: TABLE_NAMES.erasures,
  };
  for (const c of CONNECTORS) vars[ENV.systemTable(c.system)] = TABLE_NAMES.system(c.system);
  return vars;
}

/** Creates every table that is missing (with its indexes and TTL); safe to run on every start. */
export async function createTables(client: DynamoDBClient): Promise<void> {
  for (const { name, spec } of tableDefinitions()) {
    await ensureTable(client, name, spec);
  }
}

async function ensureTable(client: DynamoDBClient, name: string, spec: TableSpec): Promise<void> {
  const existing = await describe(client, name);
  if (!existing) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(spec),
          KeySchema: keySchema(spec.partitionKey, spec.sortKey),
          GlobalSecondaryIndexes: spec.indexes.length ? spec.indexes.map(index) : undefined,
        }),
      );
    } catch (error) {
      // another process created it between describe and create
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  } else {
    // A persistent database from an older version may lack an index added since.
    const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const spec_ of spec.indexes.filter((i) => !present.has(i.name))) {
      await client.send(
        new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: attributeDefinitions(spec),
          GlobalSecondaryIndexUpdates: [{ Create: index(spec_) }],
        }),
      );
    }
  }
  if (spec.ttl) await ensureTtl(client, name, spec.ttl);
}

async function describe(client: DynamoDBClient, name: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function ensureTtl(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
    }),
  );
}

// Every key attribute is a string (DESIGN: one schema for both environments).
function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const names = new Set<string>([spec.partitionKey]);
  if (spec.sortKey) names.add(spec.sortKey);
  for (const i of spec.indexes) {
    names.add(i.partitionKey);
    if (i.sortKey) names.add(i.sortKey);
  }
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

function keySchema(partitionKey: string, sortKey?: string) {
  return [
    { AttributeName: partitionKey, KeyType: 'HASH' as const },
    ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
  ];
}

function index(i: TableSpec['indexes'][number]): GlobalSecondaryIndex {
  return {
    IndexName: i.name,
    KeySchema: keySchema(i.partitionKey, i.sortKey),
    Projection: { ProjectionType: 'ALL' },
  };
}
