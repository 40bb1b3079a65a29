import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, chainEntry } from '../core/audit.ts';
import { now } from '../core/clock.ts';
import type { AuditLog } from '../core/ports.ts';

const MAX_TRIES = 8;

/** Reads a request's whole chain, oldest first. */
export async function readAuditChain(
  doc: DynamoDBDocumentClient,
  table: string,
  requestId: string,
): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'requestId = :r',
        ExpressionAttributeValues: { ':r': requestId },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
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
        const last = await doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'requestId = :r',
            ExpressionAttributeValues: { ':r': requestId },
            ScanIndexForward: false,
            Limit: 1,
            ConsistentRead: true,
          }),
        );
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
