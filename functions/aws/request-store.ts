import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { RefusedError } from '../core/errors.ts';
import { minimiseQueue } from '../core/minimise.ts';
import type { ListQuery, RequestStore } from '../core/ports.ts';
import { type RequestRecord, requestKey } from '../core/request.ts';
import { withDueIndex, withoutDueIndex } from './due-index.ts';

const MAX_TRIES = 5;

// A cursor this listing did not give: the caller's mistake, which the API answers as invalid-cursor.
const badCursor = () => new RefusedError({ reason: 'bad_cursor' });

/** A cursor is the last key of a page, as DynamoDB gave it: an object of strings, base64url-encoded JSON. */
function decodeCursor(cursor: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw badCursor();
  }
  const valid =
    key !== null &&
    typeof key === 'object' &&
    !Array.isArray(key) &&
    Object.keys(key).length > 0 &&
    Object.values(key).every((v) => typeof v === 'string');
  if (!valid) throw badCursor();
  return key as Record<string, string>;
}

/**
 * The item as written: the record with its minimisation queue as the sparse index key, derived on every write so no
 * path that closes or minimises a request can leave the index behind (core/minimise.ts).
 */
const itemOf = (record: RequestRecord): RequestRecord => ({ ...record, minimise: minimiseQueue(record) });

const isConditionFailure = (e: unknown) => e instanceof Error && e.name === 'ConditionalCheckFailedException';

/**
 * Requests in DynamoDB, one item each, written whole under an optimistic version check; every write also sets or
 * drops the item's due-index attributes, so the deadline sweep's index follows each change of status (due-index.ts).
 */
export function dynamoRequestStore(doc: DynamoDBDocumentClient, table: string): RequestStore {
  const get = async (id: string) => {
    const out = await doc.send(
      new GetCommand({ TableName: table, Key: requestKey(id), ConsistentRead: true }),
    );
    return out.Item && withoutDueIndex(out.Item);
  };

  return {
    async create(record) {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: withDueIndex(itemOf(record)),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    get,

    async update(id, change) {
      for (let i = 0; i < MAX_TRIES; i++) {
        const current = await get(id);
        if (!current) return undefined;
        const next = change(structuredClone(current));
        if (!next) return current;
        const item = itemOf({ ...next, version: current.version + 1 });
        try {
          await doc.send(
            new PutCommand({
              TableName: table,
              Item: withDueIndex(item),
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': current.version },
            }),
          );
          return item;
        } catch (e) {
          if (!isConditionFailure(e)) throw e;
        }
      }
      throw new Error(`Request changed concurrently ${MAX_TRIES} times`);
    },

    async list(query: ListQuery) {
      const byStatus = query.status !== undefined;
      const start = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const out = await doc
        .send(
          new QueryCommand({
            TableName: table,
            IndexName: byStatus ? 'byStatus' : 'byReceived',
            KeyConditionExpression: byStatus ? '#s = :p' : '#k = :p',
            ExpressionAttributeNames: {
              ...(byStatus ? { '#s': 'status' } : { '#k': 'kind' }),
              ...(query.type ? { '#t': 'type' } : {}),
            },
            ExpressionAttributeValues: {
              ':p': byStatus ? query.status : 'request',
              ...(query.type ? { ':t': query.type } : {}),
            },
            FilterExpression: query.type ? '#t = :t' : undefined,
            ScanIndexForward: false,
            Limit: query.limit,
            ExclusiveStartKey: start,
          }),
        )
        .catch((e: unknown) => {
          // A cursor from another listing (other filters) names keys this index does not have.
          if (start && e instanceof Error && e.name === 'ValidationException') throw badCursor();
          throw e;
        });
      return {
        items: (out.Items ?? []).map(withoutDueIndex),
        cursor: out.LastEvaluatedKey
          ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url')
          : undefined,
      };
    },
  };
}
