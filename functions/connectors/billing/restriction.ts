// Billing's erasure rules (P3): what outlives an erasure, stripped to what its ground needs. Invoices stay for the
// VAT Code (and, unpaid or disputed, for the claim); calls billed on an open claim stay with it; other calls are
// traffic data, kept while their bill can be challenged (register rule `traffic_data`). The rest goes.
import {
  calendarDate,
  invoiceRetention,
  isOpenClaim,
  openClaimRetention,
  trafficDataRetention,
} from '../../core/retention.ts';
import type { StoredItem } from '../records.ts';
import type { Restriction, RestrictionRule } from '../store/index.ts';

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

/**
 * What a kept call shows to prove or correct a bill (ECA art. 122 §2): when, to which number, how long, at what
 * cost, on which invoice. Not the line it was made from: that is her own number (contact data, never kept), and the
 * customer number already ties the call to the account.
 */
export const CALL_KEPT_FIELDS = [
  'customerNumber',
  'invoiceNumber',
  'startedAt',
  'calledNumber',
  'durationSeconds',
  'roaming',
  'costEur',
] as const;

const pick = (source: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(fields.filter((f) => source[f] !== undefined).map((f) => [f, source[f]]));

export const isInvoice = (item: StoredItem) => item.sk.startsWith('INVOICE#');
const isCall = (item: StoredItem) => item.sk.startsWith('CALL#');
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** An invoice is kept, restricted, until its purge date; an unpaid or disputed one names its claim for the purge. */
export function restrictInvoice(item: StoredItem): Restriction | undefined {
  if (!isInvoice(item)) return undefined;
  const keep = pick(item, INVOICE_KEPT_FIELDS);
  if (item.payment && typeof item.payment === 'object') {
    keep.payment = pick(item.payment as Record<string, unknown>, PAYMENT_KEPT_FIELDS);
  }
  const retention = invoiceRetention({
    invoiceNumber: text(item.invoiceNumber),
    invoiceDate: String(item.invoiceDate ?? ''),
    dueDate: text(item.dueDate),
    status: String(item.status ?? ''),
  });
  return { retention, keep };
}

// The subject's open claims (invoice number → due date), worked out once per erasure, not once per call.
const claimsOf = new WeakMap<readonly StoredItem[], Map<string, string>>();
function openClaims(related: readonly StoredItem[]): Map<string, string> {
  let claims = claimsOf.get(related);
  if (!claims) {
    claims = new Map();
    for (const r of related) {
      const number = text(r.invoiceNumber);
      if (isInvoice(r) && number && isOpenClaim(String(r.status ?? ''))) {
        claims.set(number, String(r.dueDate ?? r.invoiceDate ?? ''));
      }
    }
    claimsOf.set(related, claims);
  }
  return claims;
}

/** When a call started: its own attribute, else the instant in its key (`CALL#<ISO instant>`); undefined if neither reads. */
function callDate(item: StoredItem): string | undefined {
  for (const candidate of [item.startedAt, item.sk.slice('CALL#'.length)]) {
    // Only an ISO date reads as one: `Date` takes `0000003` for the year 3
    if (typeof candidate !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(candidate)) continue;
    try {
      return calendarDate(candidate);
    } catch {
      // not a date: try the next
    }
  }
  return undefined;
}

/**
 * A call billed on an invoice under an open claim is kept with the claim; any other call is traffic data until its
 * period ends, and deleted once it has (or when no date says when it was made: erasure is the rule).
 */
export const restrictCall: RestrictionRule = (item, now, related) => {
  if (!isCall(item)) return undefined;
  const invoiceNumber = text(item.invoiceNumber);
  const dueDate = invoiceNumber ? openClaims(related).get(invoiceNumber) : undefined;
  const startedAt = callDate(item);
  const retention =
    invoiceNumber && dueDate
      ? openClaimRetention({ invoiceNumber, dueDate })
      : startedAt
        ? trafficDataRetention(startedAt, now)
        : undefined;
  return retention ? { retention, keep: pick(item, CALL_KEPT_FIELDS) } : undefined;
};

/** Billing's erasure rule: invoices and calls as above; profile, bank account and credit score go. */
export const restrictBilling: RestrictionRule = (item, now, related) =>
  restrictInvoice(item) ?? restrictCall(item, now, related);
