// Writing generated records into a table of DynamoDB Local fast: batches of 25, a few in flight, retrying what
// DynamoDB leaves unprocessed. The items come from a generator and are never held whole.
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;

const IN_FLIGHT = 8;

async function writeBatch(doc: DynamoDBDocumentClient, table: string, items: Item[]) {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let round = 0; requests.length > 0; round++) {
    if (round > 0) await new Promise((done) => setTimeout(done, 50 * 2 ** Math.min(round, 6)));
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
    requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
  }
}

/** Writes every item of `items` (table name → item) and answers how many were written. */
export async function seedItems(
  doc: DynamoDBDocumentClient,
  items: Iterable<{ table: string; item: Item }>,
): Promise<number> {
  const queues = new Map<string, Item[]>();
  const inFlight = new Set<Promise<void>>();
  let written = 0;
  const send = async (table: string, batch: Item[]) => {
    const p = writeBatch(doc, table, batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
    written += batch.length;
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  };
  for (const { table, item } of items) {
    const queue = queues.get(table) ?? [];
    queue.push(item);
    queues.set(table, queue);
    if (queue.length === 25) {
      queues.set(table, []);
      await send(table, queue);
    }
  }
  for (const [table, queue] of queues) if (queue.length) await send(table, queue);
  await Promise.all(inFlight);
  return written;
}
