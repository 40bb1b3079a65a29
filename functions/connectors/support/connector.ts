import { createStoreConnector, type ExportRules, type StoreConnector, type StoreLocation } from '../store.ts';

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
export function createSupportConnector(store: StoreLocation): StoreConnector {
  const { doc, table, pageSize } = store;
  return createStoreConnector({ system: 'support', doc, table, exportRules: SUPPORT_EXPORT, pageSize });
}
