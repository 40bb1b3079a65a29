// What the expiry sweep reads of the requests table: unverified requests through the byStatus index (status,
// receivedAt), whose `awaiting_verification` partition holds exactly the requests that may expire, and requests to
// minimise through the sparse byMinimise index (minimise, closedAt), which holds only items the store filed there.
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ExpiryIndex } from '../core/ports.ts';

/** The sparse index of requests that still hold their personal part after they closed. */
export const MINIMISE_INDEX = 'byMinimise';

async function ids(doc: DynamoDBDocumentClient, input: QueryCommandInput, limit: number): Promise<string[]> {
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: start, ProjectionExpression: '#id, sk' }),
    );
    for (const item of out.Items ?? []) if (item.sk === 'REQUEST') found.push(String(item.id));
    start = out.LastEvaluatedKey;
  } while (start && found.length < limit);
  return found.slice(0, limit);
}

/** The ExpiryIndex port over the requests table. */
export function dynamoExpiryIndex(doc: DynamoDBDocumentClient, table: string): ExpiryIndex {
  return {
    unverified: (before, limit) =>
      ids(
        doc,
        {
          TableName: table,
          IndexName: 'byStatus',
          KeyConditionExpression: '#s = :s AND receivedAt <= :before',
          ExpressionAttributeNames: { '#s': 'status', '#id': 'id' },
          ExpressionAttributeValues: { ':s': 'awaiting_verification', ':before': before.toISOString() },
        },
        limit,
      ),
    toMinimise: (queue, before, limit) =>
      ids(
        doc,
        {
          TableName: table,
          IndexName: MINIMISE_INDEX,
          KeyConditionExpression: '#q = :q AND closedAt <= :before',
          ExpressionAttributeNames: { '#q': 'minimise', '#id': 'id' },
          ExpressionAttributeValues: { ':q': queue, ':before': before.toISOString() },
        },
        limit,
      ),
  };
}
