// Legal retention (DESIGN: Legal retention; PROMISES P3, P11): what the law makes us keep after an erasure,
// on which ground and until when. Pure: no AWS, no clock of its own.

/**
 * Ground keys, stable: messages (nl/fr/en), the access report and the purge use them.
 * - fiscal_retention: invoices and payment records, 10 years from 1 January after the invoice date
 *   (Belgian VAT Code art. 60 §4, since 2023).
 * - open_claim: an unpaid invoice or a dispute (GDPR Art. 17(3)(e): establishment, exercise or defence of claims).
 * - running_contract: data a running contract still needs (GDPR Art. 6(1)(b)).
 * - issued_invoice: an issued invoice is not rewritten by a rectification (P2); a correction is a credit note.
 *   It names what a rectification left as it was, with the invoice's fiscal purge date.
 */
export const RETENTION_GROUNDS = [
  'fiscal_retention',
  'open_claim',
  'running_contract',
  'issued_invoice',
] as const;
export type RetentionGround = (typeof RETENTION_GROUNDS)[number];

/** Years an invoice is kept, counted from 1 January after its date (VAT Code art. 60 §4). */
export const FISCAL_RETENTION_YEARS = 10;

/** Invoice states as the billing system records them; unpaid and disputed are open claims. */
export type InvoiceStatus = 'paid' | 'unpaid' | 'disputed' | 'credited';

export interface Retention {
  /** the ground that weighs most, shown first to the subject */
  ground: RetentionGround;
  /** every ground that applies */
  grounds: RetentionGround[];
  /** ISO date (YYYY-MM-DD) on which the purge may remove the record, if no ground is left then */
  until: string;
}

// Invoice dates are Belgian calendar dates; an instant is read in Brussels time.
const brusselsYear = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric' });

/** The calendar year of an invoice date given as YYYY-MM-DD or as an instant (read in Europe/Brussels). */
export function invoiceYear(invoiceDate: string | Date): number {
  if (typeof invoiceDate === 'string') {
    const plain = /^(\d{4})-\d{2}-\d{2}$/.exec(invoiceDate);
    if (plain?.[1]) return Number(plain[1]);
  }
  const instant = typeof invoiceDate === 'string' ? new Date(invoiceDate) : invoiceDate;
  if (Number.isNaN(instant.getTime())) throw new RangeError('Not an invoice date');
  return Number(brusselsYear.format(instant));
}

/**
 * Purge date of an invoice: the 10 years start on 1 January after the invoice date, so they end on
 * 31 December of invoice year + 10 (an invoice of 2025-12-31 and one of 2025-01-01 both go on 2035-12-31).
 */
export function fiscalPurgeDate(invoiceDate: string | Date): string {
  return `${invoiceYear(invoiceDate) + FISCAL_RETENTION_YEARS}-12-31`;
}

/** Whether an invoice still grounds a legal claim: unpaid or disputed. */
export function isOpenClaim(status: InvoiceStatus | string | undefined): boolean {
  return status === 'unpaid' || status === 'disputed';
}

/**
 * Why and until when an invoice (with the payment records inside it) outlives an erasure. An open claim
 * comes first; it has no fixed end, so the date shown is the fiscal one and the purge checks the claim again.
 */
export function invoiceRetention(invoice: {
  invoiceDate: string;
  status?: InvoiceStatus | string;
}): Retention {
  const grounds: RetentionGround[] = isOpenClaim(invoice.status)
    ? ['open_claim', 'fiscal_retention']
    : ['fiscal_retention'];
  return { ground: grounds[0] as RetentionGround, grounds, until: fiscalPurgeDate(invoice.invoiceDate) };
}

/** Why an issued invoice keeps the values it was issued with after a rectification, and until when it exists. */
export function issuedInvoiceRetention(invoiceDate: string): Retention {
  return { ground: 'issued_invoice', grounds: ['issued_invoice'], until: fiscalPurgeDate(invoiceDate) };
}

/** Whether a retained record may be purged on `now`: the day after `until` has begun (Brussels time) and no claim is open. */
export function isPurgeDue(until: string, now: Date, claimOpen = false): boolean {
  if (claimOpen) return false;
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Brussels',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  return today > until;
}
