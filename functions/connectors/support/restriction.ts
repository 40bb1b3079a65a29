// Support's erasure rule (P3): a ticket disputing an invoice, while the dispute is open, is what the claim needs
// (GDPR Art. 17(3)(e)); it and its notes are kept, restricted and stripped of contact data, on the open_claim ground
// with the claim's limitation date. Every other ticket and note goes.
import { calendarDate, openClaimRetention } from '../../core/retention.ts';
import type { StoredItem } from '../records.ts';
import { redactFreeText } from '../redaction.ts';
import type { Restriction, RestrictionRule } from '../store/index.ts';

/** The topic a ticket disputing an invoice carries, with the invoice's number and due date. */
export const DISPUTE_TOPIC = 'invoice_dispute';

/** What a kept dispute ticket shows: which invoice, when and how it was disputed, and what was said. No names or contact. */
export const TICKET_KEPT_FIELDS = [
  'customerNumber',
  'ticketId',
  'topic',
  'invoiceNumber',
  'invoiceDueDate',
  'openedAt',
  'closedAt',
  'status',
  'channel',
  'subject',
  'description',
] as const;

/** What a kept note of that ticket shows: when, which agent (staff's pseudonym), and the text. */
export const NOTE_KEPT_FIELDS = ['customerNumber', 'ticketId', 'at', 'agent', 'text'] as const;

const FREE_TEXT = new Set(['subject', 'description', 'text']);
const CLOSED = new Set(['closed', 'resolved']);
// No one's own: every address, number and name in the free text goes, hers included.
const NOBODY = { names: new Set<string>(), phones: new Set<string>(), emails: new Set<string>() };

const isTicket = (item: StoredItem) => item.sk.startsWith('TICKET#');
const isNote = (item: StoredItem) => item.sk.startsWith('NOTE#');

/** The fields kept, free text stripped of e-mail addresses, numbers and names. */
function stripped(item: StoredItem, fields: readonly string[]): Record<string, unknown> {
  const keep: Record<string, unknown> = {};
  for (const field of fields) {
    const value = item[field];
    if (value === undefined) continue;
    keep[field] =
      FREE_TEXT.has(field) && typeof value === 'string' ? redactFreeText(value, NOBODY).text : value;
  }
  return keep;
}

/**
 * The claim an open dispute ticket stands for. It names the disputed invoice; the limitation counts from that
 * invoice's due date, or from the day the dispute was opened when the ticket does not say it (never earlier).
 */
function openDispute(ticket: StoredItem): { invoiceNumber: string; dueDate: string } | undefined {
  const invoiceNumber = ticket.invoiceNumber;
  if (ticket.topic !== DISPUTE_TOPIC || typeof invoiceNumber !== 'string' || invoiceNumber === '')
    return undefined;
  if (CLOSED.has(String(ticket.status ?? ''))) return undefined;
  const due = [ticket.invoiceDueDate, ticket.openedAt].find(
    (d): d is string => typeof d === 'string' && d !== '',
  );
  return due ? { invoiceNumber, dueDate: calendarDate(due) } : undefined;
}

/** Support's erasure rule: an open dispute ticket and its notes are kept with the claim. */
export const restrictDispute: RestrictionRule = (item, _now, related): Restriction | undefined => {
  const ticket = isTicket(item)
    ? item
    : isNote(item)
      ? related.find(
          (r) => isTicket(r) && r.ticketId === item.ticketId && r.customerNumber === item.customerNumber,
        )
      : undefined;
  const claim = ticket && openDispute(ticket);
  if (!claim) return undefined;
  const keep = stripped(item, isTicket(item) ? TICKET_KEPT_FIELDS : NOTE_KEPT_FIELDS);
  return { retention: openClaimRetention(claim), keep };
};
