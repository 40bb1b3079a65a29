import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, chainEntry } from '../core/audit.ts';
import { now } from '../core/clock.ts';
import type { AuditEntryInput, AuditLog } from '../core/ports.ts';

const MAX_TRIES = 30;

/** One item of a TransactWriteItems call. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Writes a chain's new head to the write-once store once its entry is in (functions/aws/audit-heads.ts). */
export type HeadWriter = (head: AuditEntry) => Promise<void>;

/** Where a chain's fact keys are kept: beside the chain in the audit table, under a key no chain has. */
export const factKey = (requestId: string, fact: string) => ({ requestId: `fact#${requestId}`, seq: fact });

/** A Query of one request's chain, read consistently: a stale read would chain to an old entry or miss one. */
const chainQuery = (table: string, requestId: string, more: Omit<QueryCommandInput, 'TableName'>) =>
  new QueryCommand({
    TableName: table,
    KeyConditionExpression: 'requestId = :r',
    ExpressionAttributeValues: { ':r': requestId },
    ConsistentRead: true,
    ...more,
  });

/** Reads a request's whole chain, oldest first. */
export async function readAuditChain(
  doc: DynamoDBDocumentClient,
  table: string,
  requestId: string,
): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(chainQuery(table, requestId, { ExclusiveStartKey: start }));
    entries.push(...((out.Items ?? []) as AuditEntry[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return entries;
}

/**
 * The next entry of a chain and the items that write it: the entry, conditional on its sequence number being new,
 * and its fact key, conditional on being new too, so a repeated fact is refused in the same transaction.
 */
export async function auditWrites(
  doc: DynamoDBDocumentClient,
  table: string,
  requestId: string,
  input: AuditEntryInput,
): Promise<{ entry: AuditEntry; items: TransactItem[] }> {
  // The newest entry: the next one chains to it.
  const last = await doc.send(chainQuery(table, requestId, { ScanIndexForward: false, Limit: 1 }));
  const entry = chainEntry(requestId, last.Items?.[0] as AuditEntry | undefined, input, now());
  const isNew = { ConditionExpression: 'attribute_not_exists(seq)' };
  const items: TransactItem[] = [{ Put: { TableName: table, Item: entry, ...isNew } }];
  if (input.fact)
    items.push({
      Put: { TableName: table, Item: { ...factKey(requestId, input.fact), entry: entry.seq }, ...isNew },
    });
  return { entry, items };
}

/** Which items of a cancelled transaction failed their condition (their indexes). */
export function failedConditions(e: unknown): number[] | undefined {
  if (!(e instanceof Error)) return undefined;
  if (e.name === 'ConditionalCheckFailedException') return [0];
  if (e.name !== 'TransactionCanceledException') return undefined;
  const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
  // A transaction that conflicted with another one is contention too: try again.
  return failed.length > 0 || reasons.some((r) => r.Code === 'TransactionConflict') ? failed : undefined;
}

/** A short random pause, so writers that lost a round do not collide again in lockstep. */
export const backoff = (i: number) =>
  new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 10 * 2 ** i)));

/** Append-only audit chains: each entry conditional on its sequence number (and its fact key) being new. */
export function dynamoAuditLog(doc: DynamoDBDocumentClient, table: string, heads?: HeadWriter): AuditLog {
  return {
    async append(requestId, input) {
      for (let i = 0; i < MAX_TRIES; i++) {
        const { entry, items } = await auditWrites(doc, table, requestId, input);
        try {
          if (input.fact) await doc.send(new TransactWriteCommand({ TransactItems: items }));
          else
            await doc.send(
              new PutCommand({
                TableName: table,
                Item: entry,
                ConditionExpression: 'attribute_not_exists(seq)',
              }),
            );
          await heads?.(entry);
          return true;
        } catch (e) {
          const failed = failedConditions(e);
          if (!failed) throw e;
          // The fact is in the chain already: a repeat writes nothing.
          if (failed.includes(1)) return false;
        }
        await backoff(i);
      }
      throw new Error('Audit chain contended too long');
    },
  };
}
