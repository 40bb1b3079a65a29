import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { RefusedError } from '../core/errors.ts';
import { minimiseQueue } from '../core/minimise.ts';
import type { ListQuery, RequestStore } from '../core/ports.ts';
import { type RequestRecord, requestKey } from '../core/request.ts';
import { auditWrites, backoff, failedConditions, type HeadWriter } from './audit-log.ts';
import { withDueIndex, withoutDueIndex } from './due-index.ts';
import { listRequests } from './request-list.ts';

/** Enough for every writer of a burst to win one round; past it the caller is told to send again (409), not a 500. */
const MAX_TRIES = 30;

/** The audit table a change's entry is chained to, in the same transaction, and the heads written after it. */
export interface ChainedAudit {
  table: string;
  heads?: HeadWriter;
}

/**
 * The item as written: the record with its minimisation queue as the sparse index key, derived on every write so no
 * path that closes or minimises a request can leave the index behind (core/minimise.ts).
 */
const itemOf = (record: RequestRecord): RequestRecord => ({ ...record, minimise: minimiseQueue(record) });

/**
 * Requests in DynamoDB, one item each, written whole under an optimistic version check; every write also sets or
 * drops the item's due-index attributes, so the deadline sweep's index follows each change of status (due-index.ts).
 */
export function dynamoRequestStore(
  doc: DynamoDBDocumentClient,
  table: string,
  audit?: ChainedAudit,
): RequestStore {
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

    async update(id, change, entry) {
      for (let i = 0; i < MAX_TRIES; i++) {
        const current = await get(id);
        if (!current) return undefined;
        const next = change(structuredClone(current));
        if (!next) return current;
        const item = itemOf({ ...next, version: current.version + 1 });
        const put = {
          TableName: table,
          Item: withDueIndex(item),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': current.version },
        };
        const input = entry?.(item);
        if (input && !audit) throw new Error('This request store chains no audit entries');
        try {
          if (!input || !audit) {
            await doc.send(new PutCommand(put));
            return item;
          }
          // The change and its audit entry in one transaction: neither is written without the other.
          const chained = await auditWrites(doc, audit.table, id, input);
          await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...chained.items] }));
          await audit.heads?.(chained.entry);
          return item;
        } catch (e) {
          if (!failedConditions(e)) throw e;
        }
        await backoff(i);
      }
      throw new RefusedError({ reason: 'request_contended' });
    },

    list: (query: ListQuery) => listRequests(doc, table, query),
  };
}
