// Marketing: newsletter and direct-mailing list entries, shared with the e-mail marketing processor.
// An erasure deletes every entry; the processor is told by the recipients step (P13), not here.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStoreConnector, type StoreConnector } from '../store.ts';

/** The marketing system's connector over its store. */
export function createMarketingConnector({
  doc,
  table,
}: {
  doc: DynamoDBDocumentClient;
  table: string;
}): StoreConnector {
  return createStoreConnector({ system: 'marketing', doc, table });
}
