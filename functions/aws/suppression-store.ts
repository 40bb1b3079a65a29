// The suppression entries in the marketing store (functions/core/suppression.ts shapes them) behind the
// SuppressionStore port: written by an objection (P6) or an opt-out (P5), read by every import.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SuppressionStore } from '../core/ports.ts';
import { SuppressionEntry, suppressionKey, suppressionUpdate } from '../core/suppression.ts';

/** Builds the SuppressionStore over the marketing table. */
export function dynamoSuppressionStore(doc: DynamoDBDocumentClient, table: string): SuppressionStore {
  return {
    async suppress(input) {
      const result = await doc.send(
        new UpdateCommand({ TableName: table, ...suppressionUpdate(input), ReturnValues: 'ALL_NEW' }),
      );
      return SuppressionEntry.parse(result.Attributes);
    },
    async read(subjectRef) {
      const result = await doc.send(
        new GetCommand({ TableName: table, Key: suppressionKey(subjectRef), ConsistentRead: true }),
      );
      return result.Item ? SuppressionEntry.parse(result.Item) : undefined;
    },
  };
}
