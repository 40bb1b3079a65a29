// The staff queue's reads of the requests table: one index per order (received, by status, by due date), filters as
// DynamoDB filter expressions, and an optional in-memory test from the domain. DynamoDB applies Limit before the
// filter, so a page is filled by reading on until it is full; when a page is cut inside what was read, its cursor is
// the key of its last item, so the next page goes on exactly after it and nothing is skipped or silently dropped.
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { RefusedError } from '../core/errors.ts';
import type { CompletedRequests, ListQuery } from '../core/ports.ts';
import type { RequestRecord } from '../core/request.ts';
import { DUE_INDEX, withoutDueIndex } from './due-index.ts';

/** Items read per Query: a filtered page usually fills in one. */
const READ_SIZE = 100;
/**
 * Queries per page at most. A rare filter over a long history could otherwise read the whole index in one call; the
 * page then comes back short, but always with the cursor that continues where the reading stopped.
 */
const MAX_READS = 10;

interface Index {
  name: string;
  partitionKey: string;
  sortKey: string;
}
const INDEXES = {
  byReceived: { name: 'byReceived', partitionKey: 'kind', sortKey: 'receivedAt' },
  byStatus: { name: 'byStatus', partitionKey: 'status', sortKey: 'receivedAt' },
  byDue: DUE_INDEX,
} satisfies Record<string, Index>;

// A cursor this listing did not give: the caller's mistake, which the API answers as invalid-cursor.
const badCursor = () => new RefusedError({ reason: 'bad_cursor' });

const keyNames = (index: Index) => ['pk', 'sk', index.partitionKey, index.sortKey];

/** A cursor: the index it belongs to and the key to go on after, base64url-encoded JSON. */
function encodeCursor(index: Index, key: Record<string, unknown>): string {
  const k = Object.fromEntries(keyNames(index).map((n) => [n, key[n]]));
  return Buffer.from(JSON.stringify({ i: index.name, k })).toString('base64url');
}

/** Only a cursor of this index with exactly its key attributes, all strings, goes to DynamoDB. */
function decodeCursor(index: Index, cursor: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw badCursor();
  }
  const { i, k } = (parsed ?? {}) as { i?: unknown; k?: unknown };
  if (i !== index.name || !k || typeof k !== 'object' || Array.isArray(k)) throw badCursor();
  const names = keyNames(index);
  const key = k as Record<string, unknown>;
  const exact =
    Object.keys(key).length === names.length &&
    names.every((n) => Object.hasOwn(key, n) && typeof key[n] === 'string' && key[n] !== '');
  if (!exact) throw badCursor();
  return key as Record<string, string>;
}

function indexFor(query: ListQuery): Index {
  if (query.order === 'due') return INDEXES.byDue;
  return query.status ? INDEXES.byStatus : INDEXES.byReceived;
}

/** The Query for one read of the listing, without its start key. */
function queryInput(table: string, index: Index, query: ListQuery) {
  const names: Record<string, string> = { '#p': index.partitionKey };
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  const partition = index === INDEXES.byDue ? 'open' : index === INDEXES.byStatus ? query.status : 'request';
  values[':p'] = partition;
  const equal = (attr: 'status' | 'type' | 'channel', value: string | undefined) => {
    if (value === undefined || index.partitionKey === attr) return;
    names[`#${attr}`] = attr;
    values[`:${attr}`] = value;
    filters.push(`#${attr} = :${attr}`);
  };
  equal('status', query.status);
  equal('type', query.type);
  equal('channel', query.channel);
  // Open requests are the ones carrying the due index's attributes (due-index.ts).
  if (query.openOnly && index !== INDEXES.byDue) {
    names['#open'] = DUE_INDEX.partitionKey;
    filters.push('attribute_exists(#open)');
  }
  return {
    TableName: table,
    IndexName: index.name,
    KeyConditionExpression: '#p = :p',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    // Newest received first; earliest due first, so the overdue lead.
    ScanIndexForward: index === INDEXES.byDue,
    Limit: READ_SIZE,
  };
}

/** One page of the staff queue. */
export async function listRequests(
  doc: DynamoDBDocumentClient,
  table: string,
  query: ListQuery,
): Promise<{ items: RequestRecord[]; cursor?: string }> {
  const index = indexFor(query);
  const input = queryInput(table, index, query);
  let start: Record<string, unknown> | undefined =
    query.cursor === undefined ? undefined : decodeCursor(index, query.cursor);
  const picked: Record<string, unknown>[] = [];
  for (let reads = 0; reads < MAX_READS; reads++) {
    const out: QueryCommandOutput = await doc
      .send(new QueryCommand({ ...input, ExclusiveStartKey: start }))
      .catch((e: unknown) => {
        // A forged cursor with the right names can still hold a key DynamoDB refuses.
        if (start && e instanceof Error && e.name === 'ValidationException') throw badCursor();
        throw e;
      });
    for (const item of out.Items ?? []) {
      if (query.keep && !query.keep(withoutDueIndex(item))) continue;
      picked.push(item);
      if (picked.length === query.limit) {
        // Cut inside this read: go on after the last item given, not after the last one read.
        const last = out.Items?.at(-1) === item ? out.LastEvaluatedKey : item;
        return { items: picked.map(withoutDueIndex), cursor: last && encodeCursor(index, last) };
      }
    }
    start = out.LastEvaluatedKey;
    if (!start) return { items: picked.map(withoutDueIndex) };
  }
  return { items: picked.map(withoutDueIndex), cursor: start && encodeCursor(index, start) };
}

/**
 * Completed requests received since a date, page by page: a Query of the byStatus index's `completed` partition from
 * that receipt date on, never a scan. The dashboard reads them on each call; the window keeps it to the requests of
 * about a year and a half, hundreds to a few thousand for this controller.
 */
export function dynamoCompletedRequests(doc: DynamoDBDocumentClient, table: string): CompletedRequests {
  return {
    async *completedSince(receivedFrom) {
      let start: Record<string, unknown> | undefined;
      do {
        const out: QueryCommandOutput = await doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: INDEXES.byStatus.name,
            KeyConditionExpression: '#s = :s AND #r >= :r',
            ExpressionAttributeNames: { '#s': 'status', '#r': 'receivedAt' },
            ExpressionAttributeValues: { ':s': 'completed', ':r': receivedFrom },
            Limit: READ_SIZE,
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
