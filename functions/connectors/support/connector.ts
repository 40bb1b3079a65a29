// Support: tickets and call notes (free text that may name other people). An erasure deletes them all.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStoreConnector, type StoreConnector } from '../store.ts';

/** The support system's connector over its store. */
export function createSupportConnector({
  doc,
  table,
}: {
  doc: DynamoDBDocumentClient;
  table: string;
}): StoreConnector {
  return createStoreConnector({ system: 'support', doc, table });
}
