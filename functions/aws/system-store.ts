// A connector system's own table (key pk/sk, index byEmail; functions/tables.ts TABLES.system) behind the
// SystemStore port: the only place the store connector's reads and writes become DynamoDB commands.
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { EMAIL_INDEX, PURGE_INDEX, PURGE_LIST } from '../connectors/records.ts';
import type { SystemItem, SystemKey, SystemStore } from '../core/ports.ts';
import { dynamoSuppressionStore } from './suppression-store.ts';

export interface SystemStoreOptions {
  /** items per Query page (DynamoDB caps a page at 1 MB anyway); small in tests */
  pageSize?: number;
}

/** deletes in flight at once: enough to hide round trips, few enough not to throttle a table */
const DELETE_CONCURRENCY = 25;

type Query = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** A system's stores, as every connector factory takes them (functions/connectors/store/types.ts). */
export const dynamoConnectorStores = (
  doc: DynamoDBDocumentClient,
  table: string,
  options: SystemStoreOptions = {},
) => ({ records: dynamoSystemStore(doc, table, options), suppressions: dynamoSuppressionStore(doc, table) });

/** Builds the SystemStore over one table. */
export function dynamoSystemStore(
  doc: DynamoDBDocumentClient,
  table: string,
  { pageSize }: SystemStoreOptions = {},
): SystemStore {
  async function queryAll(input: Query): Promise<SystemItem[]> {
    const items: SystemItem[] = [];
    let start: Record<string, NativeAttributeValue> | undefined;
    do {
      const page = await doc.send(new QueryCommand({ ...input, TableName: table, ExclusiveStartKey: start }));
      items.push(...((page.Items ?? []) as SystemItem[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  return {
    byEmail: (email) =>
      queryAll({
        IndexName: EMAIL_INDEX,
        KeyConditionExpression: 'email = :email',
        ExpressionAttributeValues: { ':email': email },
      }),

    partition: (pk) =>
      queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      }),

    async *pages(pk, prefix) {
      let start: Record<string, NativeAttributeValue> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
            ConsistentRead: true,
            ExclusiveStartKey: start,
            ...(pageSize ? { Limit: pageSize } : {}),
          }),
        );
        yield (page.Items ?? []) as SystemItem[];
        start = page.LastEvaluatedKey;
      } while (start);
    },

    async *purgeDue(before) {
      // The index is eventually consistent: callers read each record again before they act on it.
      let start: Record<string, NativeAttributeValue> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: PURGE_INDEX,
            KeyConditionExpression: 'purgeList = :list AND purgeOn < :before',
            ExpressionAttributeValues: { ':list': PURGE_LIST, ':before': before },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: start,
            ...(pageSize ? { Limit: pageSize } : {}),
          }),
        );
        yield (page.Items ?? []) as SystemKey[];
        start = page.LastEvaluatedKey;
      } while (start);
    },

    async *addresses() {
      // A scan of the address index, for the restore runbook only; every other read is a Query.
      let start: Record<string, NativeAttributeValue> | undefined;
      do {
        const page = await doc.send(
          new ScanCommand({
            TableName: table,
            IndexName: EMAIL_INDEX,
            ProjectionExpression: 'email',
            ExclusiveStartKey: start,
            ...(pageSize ? { Limit: pageSize } : {}),
          }),
        );
        yield (page.Items ?? []).map((i) => String(i.email));
        start = page.LastEvaluatedKey;
      } while (start);
    },

    async deleteAll(keys) {
      // One conditional DeleteItem per key (BatchWrite cannot say whether an item was there), a bounded number in
      // flight, each worker taking the next key as soon as its last is done: only the call that removed an item
      // counts it. (Waves of 25 waited for the slowest of each; the benchmark's erasure, measurement 5.)
      const removed = new Array<boolean>(keys.length).fill(false);
      const remove = async (i: number) => {
        const key = keys[i] as (typeof keys)[number];
        try {
          await doc.send(
            new DeleteCommand({
              TableName: table,
              Key: { pk: key.pk, sk: key.sk },
              ConditionExpression: 'attribute_exists(pk)',
            }),
          );
          removed[i] = true;
        } catch (error) {
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        }
      };
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < keys.length; i = next++) await remove(i);
      };
      await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, keys.length) }, worker));
      return keys.filter((_, i) => removed[i]);
    },

    async move(from: SystemKey, to: SystemItem) {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: to } },
            { Delete: { TableName: table, Key: { pk: from.pk, sk: from.sk } } },
          ],
        }),
      );
    },

    async update(key, set) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const parts = Object.entries(set).map(([attr, value], i) => {
        names[`#a${i}`] = attr;
        values[`:v${i}`] = value;
        return `#a${i} = :v${i}`;
      });
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: key.pk, sk: key.sk },
            UpdateExpression: `SET ${parts.join(', ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            // Never bring a deleted record back: an erasure running at the same time wins.
            ConditionExpression: 'attribute_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        return false;
      }
    },
  };
}
