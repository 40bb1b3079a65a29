// The requests table's sparse due-date index (P9): an item carries its two key attributes only while the request is
// watched (verified, not final, or its answer undelivered: core/deadline-watch.ts), so the hourly deadline sweep reads the open requests in due order with one Query
// per page, never a scan, and closed requests drop out of it by themselves. The request store sets or drops the
// attributes on every write (request-store.ts), so they follow every change of status or due date.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dueInForce, isWatchedRequest } from '../core/deadline-watch.ts';
import type { OpenRequests } from '../core/ports.ts';
import type { RequestRecord } from '../core/request.ts';

/**
 * Name and key attributes of the index (functions/tables.ts TABLES). Open requests number in the hundreds, so one
 * constant partition holds them all; a shard suffix would spread a much larger backlog.
 */
export const DUE_INDEX = { name: 'byDue', partitionKey: 'openShard', sortKey: 'openDueAt' } as const;
const OPEN_SHARD = 'open';

/** The item to write for a request: its index attributes set while it is watched, absent otherwise. */
export function withDueIndex<T extends RequestRecord>(record: T): T {
  const {
    [DUE_INDEX.partitionKey]: _shard,
    [DUE_INDEX.sortKey]: _due,
    ...rest
  } = record as T & Record<string, unknown>;
  if (!isWatchedRequest(record)) return rest as T;
  return { ...rest, [DUE_INDEX.partitionKey]: OPEN_SHARD, [DUE_INDEX.sortKey]: dueInForce(record) } as T;
}

/** Drops the index attributes from an item read back, so the domain sees the record alone. */
export function withoutDueIndex(item: Record<string, unknown>): RequestRecord {
  const { [DUE_INDEX.partitionKey]: _shard, [DUE_INDEX.sortKey]: _due, ...record } = item;
  return record as unknown as RequestRecord;
}

/** Open requests, earliest due first, a page at a time. */
export function dynamoOpenRequests(doc: DynamoDBDocumentClient, table: string, pageSize = 100): OpenRequests {
  return {
    async *byDue() {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: DUE_INDEX.name,
            KeyConditionExpression: '#p = :p',
            ExpressionAttributeNames: { '#p': DUE_INDEX.partitionKey },
            ExpressionAttributeValues: { ':p': OPEN_SHARD },
            Limit: pageSize,
            ExclusiveStartKey: start,
          }),
        );
        const items = (out.Items ?? []).map(withoutDueIndex);
        if (items.length > 0) yield items;
        start = out.LastEvaluatedKey;
      } while (start);
    },
  };
}
