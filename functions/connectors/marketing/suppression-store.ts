// The suppression entries in the marketing store (functions/core/suppression.ts shapes them): written by an
// objection (P6) or an opt-out (P5), read by every import. Keyed by subjectRef, never the address.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type MarketingList,
  SuppressionEntry,
  type SuppressionReason,
  suppressionKey,
  suppressionUpdate,
} from '../../core/suppression.ts';

/** Adds lists to a subject's suppression entry (created if missing) and answers the entry as it now stands. */
export async function suppress(
  deps: { doc: DynamoDBDocumentClient; table: string },
  input: {
    subjectRef: string;
    lists: readonly MarketingList[];
    reason: SuppressionReason | SuppressionReason[];
    now: Date;
  },
): Promise<SuppressionEntry> {
  const result = await deps.doc.send(
    new UpdateCommand({ TableName: deps.table, ...suppressionUpdate(input), ReturnValues: 'ALL_NEW' }),
  );
  return SuppressionEntry.parse(result.Attributes);
}

/** A subject's suppression entry, if any. */
export async function readSuppression(
  deps: { doc: DynamoDBDocumentClient; table: string },
  subjectRef: string,
): Promise<SuppressionEntry | undefined> {
  const result = await deps.doc.send(
    new GetCommand({ TableName: deps.table, Key: suppressionKey(subjectRef), ConsistentRead: true }),
  );
  return result.Item ? SuppressionEntry.parse(result.Item) : undefined;
}
