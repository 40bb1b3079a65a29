// Support: tickets and call notes (free text that may name other people). An erasure deletes them all; an
// export removes other people's names, numbers and addresses from the free text (Art. 15(4)).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStoreConnector, type ExportRules, type StoreConnector } from '../store.ts';

/** Support's files; every free-text attribute is redacted of other people's data. */
export const SUPPORT_EXPORT: ExportRules = {
  freeText: ['subject', 'description', 'text'],
  files: {
    TICKET: {
      name: 'tickets',
      columns: [
        'customerNumber',
        'ticketId',
        'openedAt',
        'closedAt',
        'status',
        'channel',
        'firstName',
        'lastName',
        'email',
        'phone',
        'subject',
        'description',
      ],
    },
    NOTE: { name: 'notes', columns: ['customerNumber', 'ticketId', 'at', 'agent', 'text'] },
  },
};

/** The support system's connector over its store; it holds no marketing or profiling, so an objection skips it. */
export function createSupportConnector({
  doc,
  table,
  pageSize,
}: {
  doc: DynamoDBDocumentClient;
  table: string;
  pageSize?: number;
}): StoreConnector {
  return createStoreConnector({ system: 'support', doc, table, exportRules: SUPPORT_EXPORT, pageSize });
}
