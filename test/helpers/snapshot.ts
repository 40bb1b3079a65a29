// Everything the embedded runtime stores, as one comparable value: every DynamoDB table (application, systems,
// idempotency, the local Step Functions' executions), every S3 object and the SES inbox. Tests that must prove
// "no stored change" compare one taken before with one taken after.
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { BUCKETS } from '../../local/runtime.ts';
import { inbox } from './api.ts';
import { runtimeDocumentClient } from './dynamodb.ts';

export interface StoreSnapshot {
  /** table name → item (canonical JSON) → count */
  tables: Map<string, string[]>;
  objects: string[];
  mails: number;
}

/** Items are kept unless `exclude(table, item)` says their change is expected; the reason lives with the caller. */
export async function snapshot(
  rt: { dynamodbEndpoint: string; s3Url: string; sesUrl: string },
  exclude: (table: string, item: Record<string, unknown>) => boolean = () => false,
): Promise<StoreSnapshot> {
  const doc = runtimeDocumentClient(rt.dynamodbEndpoint);
  const tables = new Map<string, string[]>();
  const names = (await doc.send(new ListTablesCommand({}))).TableNames ?? [];
  for (const TableName of names) {
    const items: string[] = [];
    for await (const page of paginateScan({ client: doc }, { TableName })) {
      for (const item of page.Items ?? []) if (!exclude(TableName, item)) items.push(canonical(item));
    }
    tables.set(TableName, items.sort());
  }
  const s3 = new S3Client({
    region: 'eu-west-1',
    endpoint: rt.s3Url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const objects: string[] = [];
  for (const Bucket of Object.values(BUCKETS)) {
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
      for (const o of page.Contents ?? []) objects.push(`${Bucket}/${o.Key} ${o.ETag} ${o.Size}`);
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
  }
  doc.destroy();
  s3.destroy();
  return { tables, objects: objects.sort(), mails: (await inbox(rt.sesUrl)).length };
}

/** What differs between two snapshots, as lines a failure message can show (keys and sizes, not whole items). */
export function differences(before: StoreSnapshot, after: StoreSnapshot): string[] {
  const out: string[] = [];
  for (const name of new Set([...before.tables.keys(), ...after.tables.keys()])) {
    const a = new Set(before.tables.get(name) ?? []);
    const b = new Set(after.tables.get(name) ?? []);
    for (const item of b) if (!a.has(item)) out.push(`${name}: + ${item.slice(0, 200)}`);
    for (const item of a) if (!b.has(item)) out.push(`${name}: - ${item.slice(0, 200)}`);
  }
  const objects = new Set(before.objects);
  for (const o of after.objects) if (!objects.has(o)) out.push(`s3: + ${o}`);
  if (after.mails !== before.mails) out.push(`mails: ${before.mails} → ${after.mails}`);
  return out;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Set)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v instanceof Set
        ? [...v].sort()
        : v,
  );
}
