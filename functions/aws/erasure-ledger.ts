// The erasure ledger (P3) in its own table (functions/registry.ts TABLES.erasures): one partition per UTC day,
// `pk = D#<day>`, `sk = <erasedAt>#<by>#<id>#<ref>`, holding keyed hashes and dates only. Kept apart from the
// system stores, so restoring one of them from a backup cannot roll the ledger back with it.
import {
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ErasureEntry, ErasureLedger } from '../core/ports.ts';

const DAY_MS = 86_400_000;
const dayKey = (at: Date) => `D#${at.toISOString().slice(0, 10)}`;

/** Builds the ErasureLedger over its table. */
export function dynamoErasureLedger(doc: DynamoDBDocumentClient, table: string): ErasureLedger {
  return {
    async record(entry) {
      const ref = entry.customerRef ?? entry.subjectRef ?? 'none';
      // The same erasure recorded twice (a task run again) overwrites itself.
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: {
            pk: dayKey(new Date(entry.erasedAt)),
            sk: `${entry.erasedAt}#${entry.by}#${entry.id}#${ref}`,
            ...entry,
          },
        }),
      );
    },

    async *since(from, to) {
      const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
      for (let day = first; day <= to.getTime(); day += DAY_MS) {
        let start: Record<string, NativeAttributeValue> | undefined;
        do {
          const page = await doc.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :day AND sk >= :from',
              ExpressionAttributeValues: { ':day': dayKey(new Date(day)), ':from': from.toISOString() },
              ExclusiveStartKey: start,
            }),
          );
          const entries = (page.Items ?? []).map(({ pk: _pk, sk: _sk, ...entry }) => entry as ErasureEntry);
          if (entries.length > 0) yield entries;
          start = page.LastEvaluatedKey;
        } while (start);
      }
    },
  };
}
