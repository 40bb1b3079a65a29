// Billing: invoices (with line items and the payments on them), bank account, credit score, call records.
// Invoices outlive an erasure under the fiscal retention ground (or an open claim), stripped and restricted.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { invoiceRetention } from '../../core/retention.ts';
import type { StoredItem } from '../records.ts';
import { createStoreConnector, type Restriction, type StoreConnector } from '../store.ts';

/** What an invoice must still show (VAT Code art. 53 §2 and Royal Decree no. 1 art. 5): no contact or bank data. */
export const INVOICE_KEPT_FIELDS = [
  'customerNumber',
  'invoiceNumber',
  'invoiceDate',
  'dueDate',
  'name',
  'address',
  'vatNumber',
  'lines',
  'totalExclVat',
  'vatAmount',
  'total',
  'currency',
  'status',
  'payment',
] as const;

/** The payment record inside an invoice keeps when and how much, not from which account. */
export const PAYMENT_KEPT_FIELDS = ['paidAt', 'amount', 'method', 'reference'] as const;

const pick = (source: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(fields.filter((f) => source[f] !== undefined).map((f) => [f, source[f]]));

/** Billing's erasure rule: invoices are kept, restricted, until their purge date; everything else goes. */
export function restrictInvoice(item: StoredItem): Restriction | undefined {
  if (!item.sk.startsWith('INVOICE#')) return undefined;
  const invoiceDate = String(item.invoiceDate ?? '');
  const keep = pick(item, INVOICE_KEPT_FIELDS);
  if (item.payment && typeof item.payment === 'object') {
    keep.payment = pick(item.payment as Record<string, unknown>, PAYMENT_KEPT_FIELDS);
  }
  return { retention: invoiceRetention({ invoiceDate, status: String(item.status ?? '') }), keep };
}

/** The billing system's connector over its store. */
export function createBillingConnector({
  doc,
  table,
}: {
  doc: DynamoDBDocumentClient;
  table: string;
}): StoreConnector {
  return createStoreConnector({ system: 'billing', doc, table, restrict: restrictInvoice });
}
