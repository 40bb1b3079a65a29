// CRM: identity, contact, professional data, gender, language, consents, interest profile, account.
// Nothing here is under a retention duty, so an erasure deletes every record of the subject.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStoreConnector, type StoreConnector } from '../store.ts';

/** The CRM's connector over its store. */
export function createCrmConnector({
  doc,
  table,
}: {
  doc: DynamoDBDocumentClient;
  table: string;
}): StoreConnector {
  return createStoreConnector({ system: 'crm', doc, table });
}
