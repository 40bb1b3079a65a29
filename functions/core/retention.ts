// Legal retention (DESIGN: Legal retention; PROMISES P3, P11): what the law makes us keep after an erasure,
// on which ground and until when. Pure: no AWS, no clock of its own; periods other than the VAT Code's come from the
// processing register (registers/processing-register.json), so the register and the purge dates cannot drift apart.
import {
  loadProcessingRegister,
  type ProcessingRegister,
  type RetentionRuleName,
} from './registers/index.ts';

/**
 * Ground keys, stable: messages (nl/fr/en), the access report and the purge use them.
 * - fiscal_retention: invoices and payment records, 10 years from 1 January after the invoice date
 *   (Belgian VAT Code art. 60 §4, since 2023).
 * - open_claim: an unpaid or disputed invoice (GDPR Art. 17(3)(e): establishment, exercise or defence of claims):
 *   the invoice, the calls billed on it and the dispute ticket, until the claim is settled and at the latest until
 *   its limitation period (register rule `claims`) ends.
 * - running_contract: what a running contract still needs (GDPR Art. 17(1)(a) does not apply while it runs).
 * - traffic_data: call records, while the invoice they are billed on can be challenged or its payment pursued
 *   (Electronic Communications Act art. 122; register rule `traffic_data`).
 * - issued_invoice: an issued invoice is not rewritten by a rectification (P2); a correction is a credit note.
 *   It names what a rectification left as it was, with the invoice's fiscal purge date.
 */
export const RETENTION_GROUNDS = [
  'fiscal_retention',
  'open_claim',
  'running_contract',
  'traffic_data',
  'issued_invoice',
] as const;
export type RetentionGround = (typeof RETENTION_GROUNDS)[number];

/**
 * The register rule each ground's date is counted with. A running contract ends when the contract does, so it has
 * none; the fiscal period is fixed by law and held to 10 years by the register's own check.
 */
export const GROUND_RULES: Record<RetentionGround, RetentionRuleName | undefined> = {
  fiscal_retention: 'fiscal',
  open_claim: 'claims',
  running_contract: undefined,
  traffic_data: 'traffic_data',
  issued_invoice: 'fiscal',
};

/** Years an invoice is kept, counted from 1 January after its date (VAT Code art. 60 §4). */
export const FISCAL_RETENTION_YEARS = 10;

/** Invoice states as the billing system records them; unpaid and disputed are open claims. */
export type InvoiceStatus = 'paid' | 'unpaid' | 'disputed' | 'credited';

/** One ground and the date it ends on (ISO YYYY-MM-DD). */
export interface RetentionPeriod {
  ground: RetentionGround;
  until: string;
}

export interface Retention {
  /** the ground that weighs most, shown first to the subject */
  ground: RetentionGround;
  /** every ground that applies */
  grounds: RetentionGround[];
  /** ISO date (YYYY-MM-DD) on which the purge may remove the record, if no ground is left then: the last period's end */
  until: string;
  /** each ground with its own end (absent on records kept before grounds had their own dates) */
  periods?: RetentionPeriod[];
  /** the claim behind an open_claim ground: the purge asks billing again whether this invoice is still open */
  claim?: { invoiceNumber: string };
  /** the contracts behind a running_contract ground: the purge asks CRM again whether they still run */
  contracts?: string[];
}

/** The register's retention rules, as the date functions below read them (tests pass their own). */
export type RetentionRules = ProcessingRegister['retentionRules'];
const registerRules = (): RetentionRules => loadProcessingRegister().retentionRules;

/** The latest of some ISO dates (they sort as text). */
const latest = (dates: string[]): string => [...dates].sort().at(-1) ?? '';

/** A retention from its periods, the first weighing most; the record goes when the last one ends. */
export function retentionOf(
  periods: RetentionPeriod[],
  basis: Pick<Retention, 'claim' | 'contracts'> = {},
): Retention {
  const first = periods[0];
  if (!first) throw new Error('A retention needs at least one ground');
  const until = latest(periods.map((p) => p.until));
  return { ground: first.ground, grounds: periods.map((p) => p.ground), until, periods, ...basis };
}

/** The periods of a kept record: its own, or its one ground and date when it was kept before periods existed. */
export const periodsOf = (r: Pick<Retention, 'ground' | 'until' | 'periods'>): RetentionPeriod[] =>
  r.periods && r.periods.length > 0 ? r.periods : [{ ground: r.ground, until: r.until }];

// Dates are Belgian calendar dates; an instant is read in Brussels time.
const ZONE = 'Europe/Brussels';
const brusselsYear = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric' });
const brusselsDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const instantOf = (value: string | Date): Date => {
  const instant = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(instant.getTime())) throw new RangeError('Not a date');
  return instant;
};

/** The Brussels calendar date (YYYY-MM-DD) of a plain date or an instant. */
export function calendarDate(value: string | Date): string {
  if (typeof value === 'string' && PLAIN_DATE.test(value)) return value;
  return brusselsDay.format(instantOf(value));
}

const ymd = (year: number, month: number, day: number) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The same date `months` later, or that month's last day where the date does not exist (29 February). */
export function addMonths(date: string, months: number): string {
  const [, y, m, d] = PLAIN_DATE.exec(calendarDate(date)) ?? [];
  const index = Number(y) * 12 + Number(m) - 1 + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return ymd(year, month, Math.min(Number(d), daysIn(year, month)));
}

/** The last day of the month a date lies in. */
export function monthEnd(date: string): string {
  const [, y, m] = PLAIN_DATE.exec(calendarDate(date)) ?? [];
  return ymd(Number(y), Number(m), daysIn(Number(y), Number(m)));
}

/** A register rule's period in months; refuses a rule that has none (the register's own check requires one). */
export function periodMonths(rule: RetentionRuleName, rules: RetentionRules = registerRules()): number {
  const entry = rules[rule];
  const months = (entry?.years ?? 0) * 12 + (entry?.months ?? 0);
  if (months <= 0) throw new Error(`The register gives the ${rule} rule no period`);
  return months;
}

/** The calendar year of an invoice date given as YYYY-MM-DD or as an instant (read in Europe/Brussels). */
export function invoiceYear(invoiceDate: string | Date): number {
  if (typeof invoiceDate === 'string') {
    const plain = PLAIN_DATE.exec(invoiceDate);
    if (plain?.[1]) return Number(plain[1]);
  }
  return Number(brusselsYear.format(instantOf(invoiceDate)));
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
 * End of a claim's limitation period (register rule `claims`), counted from the day the invoice fell due. The claim
 * may be settled earlier: then the purge, which asks again, ends the ground at once.
 */
export function claimLimitationEnd(dueDate: string, rules?: RetentionRules): string {
  return addMonths(calendarDate(dueDate), periodMonths('claims', rules));
}

/** An open claim on an invoice: what it keeps (calls, the dispute ticket) is kept until the claim ends. */
export function openClaimRetention(
  claim: { invoiceNumber: string; dueDate: string },
  rules?: RetentionRules,
): Retention {
  return retentionOf([{ ground: 'open_claim', until: claimLimitationEnd(claim.dueDate, rules) }], {
    claim: { invoiceNumber: claim.invoiceNumber },
  });
}

/**
 * Why and until when an invoice (with the payment records inside it) outlives an erasure. An open claim comes first
 * with its limitation date; the fiscal period outlasts it, so the invoice goes on the fiscal date.
 */
export function invoiceRetention(
  invoice: { invoiceNumber?: string; invoiceDate: string; dueDate?: string; status?: InvoiceStatus | string },
  rules?: RetentionRules,
): Retention {
  const fiscal: RetentionPeriod = { ground: 'fiscal_retention', until: fiscalPurgeDate(invoice.invoiceDate) };
  if (!isOpenClaim(invoice.status)) return retentionOf([fiscal]);
  const claim = {
    ground: 'open_claim' as const,
    until: claimLimitationEnd(invoice.dueDate ?? invoice.invoiceDate, rules),
  };
  return retentionOf(
    [claim, fiscal],
    invoice.invoiceNumber ? { claim: { invoiceNumber: invoice.invoiceNumber } } : {},
  );
}

/**
 * A call record as traffic data (register rule `traffic_data`): kept until the given number of months after the
 * month of the call, the month it is billed for; undefined once that period is over, so the erasure deletes it.
 */
export function trafficDataRetention(
  startedAt: string | Date,
  now: Date,
  rules?: RetentionRules,
): Retention | undefined {
  const until = monthEnd(addMonths(monthEnd(calendarDate(startedAt)), periodMonths('traffic_data', rules)));
  return isPurgeDue(until, now) ? undefined : retentionOf([{ ground: 'traffic_data', until }]);
}

/**
 * What a running contract keeps: until its end date, or for a contract without one (it renews each month) until the
 * end of the current month, when the purge asks CRM again. Undefined when no contract runs.
 */
export function contractRetention(
  contracts: { contractNumber: string; endsAt?: string }[],
  now: Date,
): Retention | undefined {
  const running = contracts.filter((c) => !c.endsAt || !isPurgeDue(calendarDate(c.endsAt), now));
  if (running.length === 0) return undefined;
  const until = latest(running.map((c) => (c.endsAt ? calendarDate(c.endsAt) : monthEnd(calendarDate(now)))));
  return retentionOf([{ ground: 'running_contract', until }], {
    contracts: running.map((c) => c.contractNumber).sort(),
  });
}

/** Why an issued invoice keeps the values it was issued with after a rectification, and until when it exists. */
export function issuedInvoiceRetention(invoiceDate: string): Retention {
  return { ground: 'issued_invoice', grounds: ['issued_invoice'], until: fiscalPurgeDate(invoiceDate) };
}

/** Whether a retained record may be purged on `now`: the day after `until` has begun (Brussels time) and no claim is open. */
export function isPurgeDue(until: string, now: Date, claimOpen = false): boolean {
  if (claimOpen) return false;
  return calendarDate(now) > until;
}

/**
 * Whether the purge may remove a kept record on `now`, after asking again what it rests on: an open claim or a running
 * contract keeps it whatever the date; a claim found settled or a contract found ended ends that ground at once; every
 * other ground runs to its date. A question not asked (undefined) leaves the ground to its date.
 */
export function isRetentionOver(
  retention: Retention,
  now: Date,
  found: { claimOpen?: boolean; contractRunning?: boolean } = {},
): boolean {
  if (retention.claim && found.claimOpen) return false;
  if (retention.contracts && found.contractRunning) return false;
  const ended = (p: RetentionPeriod) =>
    (p.ground === 'open_claim' && retention.claim !== undefined && found.claimOpen === false) ||
    (p.ground === 'running_contract' && retention.contracts !== undefined && found.contractRunning === false);
  return periodsOf(retention).every((p) => ended(p) || isPurgeDue(p.until, now));
}
