// A small in-memory stand-in for one system table, answering the Query shapes the store connector sends
// (byEmail index; a partition with an optional begins_with, Limit and ExclusiveStartKey), through
// aws-sdk-client-mock. It counts the items it has handed out, so tests can see how much is in flight.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoConnectorStores } from '../../../functions/aws/system-store.ts';

type Item = Record<string, unknown> & { pk: string; sk: string };

export const ddb = mockClient(DynamoDBDocumentClient);
export const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
/** A system's stores over the faked table, as the connector Lambda builds them (functions/connectors/wiring.ts). */
export const stores = (table: string, pageSize?: number) => dynamoConnectorStores(doc, table, { pageSize });

/** Serves `items`, plus any partition produced lazily by `generate(pk, from, limit)`; returns a fetch counter. */
export function serveQueries(
  items: Item[],
  generate?: (pk: string, from: number, limit: number) => { items: Item[]; more: boolean } | undefined,
) {
  const stats = { fetched: 0, pages: 0 };
  ddb.on(QueryCommand).callsFake(async (input: QueryCommandInput) => {
    const values = input.ExpressionAttributeValues ?? {};
    if (input.IndexName === 'byEmail') {
      return { Items: items.filter((i) => i.email === values[':email']) };
    }
    const pk = String(values[':pk']);
    const from = Number((input.ExclusiveStartKey as { n?: number } | undefined)?.n ?? 0);
    const limit = input.Limit ?? 1000;
    const generated = generate?.(pk, from, limit);
    if (generated) {
      stats.fetched += generated.items.length;
      stats.pages += 1;
      return {
        Items: generated.items,
        LastEvaluatedKey: generated.more ? { pk, n: from + limit } : undefined,
      };
    }
    const prefix = values[':prefix'] as string | undefined;
    const all = items
      .filter((i) => i.pk === pk && (!prefix || i.sk.startsWith(prefix)))
      .sort((a, b) => a.sk.localeCompare(b.sk));
    const page = all.slice(from, from + limit);
    stats.fetched += page.length;
    stats.pages += 1;
    return {
      Items: structuredClone(page),
      LastEvaluatedKey: from + limit < all.length ? { pk, n: from + limit } : undefined,
    };
  });
  return stats;
}
