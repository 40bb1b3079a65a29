import {
  type ActivityRule,
  type ConnectorStores,
  createStoreConnector,
  type ExportRules,
  type StoreConnector,
} from '../store/index.ts';
import { restrictDispute } from './restriction.ts';

/** Support's files; every free-text attribute is redacted of other people's data; notes are staff's own writing. */
export const SUPPORT_EXPORT: ExportRules = {
  freeText: ['subject', 'description', 'text'],
  staffWritten: ['NOTE'],
  staffIdentifiers: ['agent'],
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
    NOTE: { name: 'notes', columns: ['customerNumber', 'ticketId', 'at', 'text'] },
  },
};

/** What dates a customer's activity in support (P11): tickets opened or closed, contacts noted. */
export const SUPPORT_ACTIVITY: ActivityRule = {
  dates: { TICKET: ['openedAt', 'closedAt'], NOTE: ['at'] },
};

/**
 * The support system's connector over its store; it holds no marketing or profiling, so an objection skips it. An
 * erasure keeps an open dispute ticket and its notes for the claim (restriction.ts).
 */
export function createSupportConnector(stores: ConnectorStores): StoreConnector {
  return createStoreConnector({
    system: 'support',
    stores,
    exportRules: SUPPORT_EXPORT,
    restrict: restrictDispute,
    activity: SUPPORT_ACTIVITY,
  });
}
