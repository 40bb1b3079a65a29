import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, chainEntry } from '../core/audit.ts';
import { now } from '../core/clock.ts';
import type { AuditLog } from '../core/ports.ts';

const MAX_TRIES = 8;

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

/** Append-only audit chains: each put is conditional on its sequence number being new. */
export function dynamoAuditLog(doc: DynamoDBDocumentClient, table: string): AuditLog {
  return {
    async append(requestId, input) {
      for (let i = 0; i < MAX_TRIES; i++) {
        // The newest entry: the next one chains to it.
        const last = await doc.send(chainQuery(table, requestId, { ScanIndexForward: false, Limit: 1 }));
        const entry = chainEntry(requestId, last.Items?.[0] as AuditEntry | undefined, input, now());
        try {
          await doc.send(
            new PutCommand({
              TableName: table,
              Item: entry,
              ConditionExpression: 'attribute_not_exists(seq)',
            }),
          );
          return;
        } catch (e) {
          if (!(e instanceof Error && e.name === 'ConditionalCheckFailedException')) throw e;
        }
      }
      throw new Error('Audit chain contended too long');
    },
  };
}
