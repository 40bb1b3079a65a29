import { issuedInvoiceRetention, type Retention } from '../../core/retention.ts';
import type { StoredItem } from '../records.ts';
import {
  type ActivityRule,
  type ConnectorStores,
  createStoreConnector,
  type ExportRules,
  type StoreConnector,
} from '../store/index.ts';
import { isInvoice, restrictBilling } from './restriction.ts';

export {
  CALL_KEPT_FIELDS,
  INVOICE_KEPT_FIELDS,
  PAYMENT_KEPT_FIELDS,
  restrictInvoice,
} from './restriction.ts';

/** Billing's rectification rule: an issued invoice keeps the values it was issued with (P2). */
export function issuedInvoice(item: StoredItem): Retention | undefined {
  return isInvoice(item) ? issuedInvoiceRetention(String(item.invoiceDate ?? '')) : undefined;
}

const ADDRESS = ['address.street', 'address.postalCode', 'address.city', 'address.country'];

/** Billing's files; the numbers a customer called are someone else's and are masked for portability (P7). */
export const BILLING_EXPORT: ExportRules = {
  othersNumbers: ['calledNumber'],
  files: {
    PROFILE: { name: 'profile' },
    BANK_ACCOUNT: { name: 'bank-accounts' },
    CREDIT_SCORE: { name: 'credit-scores' },
    INVOICE: {
      name: 'invoices',
      columns: [
        'customerNumber',
        'invoiceNumber',
        'invoiceDate',
        'dueDate',
        'status',
        'name',
        ...ADDRESS,
        'email',
        'phone',
        'sentTo',
        'currency',
        'totalExclVat',
        'vatAmount',
        'total',
        'lines',
        'payment.paidAt',
        'payment.amount',
        'payment.method',
        'payment.iban',
        'payment.mandateId',
        'payment.reference',
        'payment.reminderSentAt',
      ],
    },
    CALL: {
      name: 'calls',
      columns: [
        'customerNumber',
        'startedAt',
        'callingNumber',
        'calledNumber',
        'durationSeconds',
        'roaming',
        'costEur',
      ],
    },
  },
};

/**
 * What dates a customer's activity in billing (P11): becoming a customer, signing a mandate, each invoice and
 * payment, each call. A contract runs while the billing profile says so.
 */
export const BILLING_ACTIVITY: ActivityRule = {
  dates: {
    PROFILE: ['createdAt'],
    BANK_ACCOUNT: ['mandateSignedAt'],
    INVOICE: ['invoiceDate', 'payment.paidAt'],
    CALL: ['startedAt'],
  },
  contractRunning: (item) =>
    item.sk === 'PROFILE' && (item.contract as { status?: unknown } | undefined)?.status === 'running',
};

/** The billing system's connector over its store. */
export function createBillingConnector(stores: ConnectorStores): StoreConnector {
  return createStoreConnector({
    system: 'billing',
    stores,
    restrict: restrictBilling,
    // a customer's calls run into the millions; the rules read invoices, never calls, in `related`
    bulk: ['CALL'],
    immutable: issuedInvoice,
    exportRules: BILLING_EXPORT,
    activity: BILLING_ACTIVITY,
  });
}
