// The pipeline's own records (Art. 5(1)(c) and (e), Art. 5(2)): once a request is over, it keeps what proves how it
// was handled (pseudonymous ids, dates, statuses, outcomes, the audit chain) and loses its personal part: the
// address, the requested changes, the picked customer number, an organisation's address and staff's free text.
// The request item is rewritten in place rather than split, so every reader keeps one item under one lock; DynamoDB
// TTL does not fit, since it deletes whole items, late and silently, where expiry must set a status, tell the subject
// and keep the evidence. The store files an item that still has its personal part under a sparse index key
// (`minimise`), which the expiry sweep queries.
import type { RequestRecord } from './request.ts';

/** Expired requests are minimised at once, after the subject is told; completed and rejected ones after a period. */
export type MinimiseQueue = 'expired' | 'closed';

/**
 * The queue a request waits in, or none. A partially completed request waits for none: staff may still retry it and
 * the subject is still owed an answer.
 */
export function minimiseQueue(r: RequestRecord): MinimiseQueue | undefined {
  if (r.minimisedAt || !r.closedAt) return undefined;
  if (r.status === 'expired') return 'expired';
  if (r.status === 'completed' || r.status === 'rejected') return 'closed';
  return undefined;
}

/** The names of the personal fields a request still holds: what minimising it removes (for the audit entry). */
export function personalFields(r: RequestRecord): string[] {
  const held: [string, unknown][] = [
    ['email', r.email],
    ['changes', r.changes],
    ['recipient.email', r.recipient?.email],
    ['identity.customerNumber', r.identity?.customerNumber],
    ['rejection.explanation', r.rejection?.explanation],
    ['extension.note', r.extension?.note],
    // P4, P12: the postal address, who acted for the subject and how to reach them, staff's note on the check, and
    // the printable letters' content (the letter store keeps their kind and date only).
    ['postalAddress', r.postalAddress],
    ['representative', r.representative?.name || undefined],
    ['manualCheck.note', r.manualCheck?.note],
    ['letters', r.letters?.length ? r.letters : undefined],
    ['delivery.reachedNote', r.delivery?.reachedNote],
  ];
  return held.filter(([, v]) => v !== undefined && v !== '').map(([name]) => name);
}

/** The request without its personal part, marked minimised at `at`; the keyed-hash subjectRef stays as evidence. */
export function minimised(r: RequestRecord, at: Date): RequestRecord {
  const out: RequestRecord = { ...r, email: '', minimisedAt: at.toISOString() };
  delete out.changes;
  delete out.approvalToken;
  delete out.identityToken;
  if (out.recipient) out.recipient = { ...out.recipient, email: '' };
  if (out.identity) out.identity = { ...out.identity, customerNumber: '' };
  if (out.rejection) {
    const { explanation: _, ...rejection } = out.rejection;
    out.rejection = rejection;
  }
  if (out.extension) {
    const { note: _, ...extension } = out.extension;
    out.extension = extension;
  }
  delete out.postalAddress;
  // The relation stays as evidence of who acted (P12); the name and the contact go.
  if (out.representative) out.representative = { relation: out.representative.relation, name: '' };
  if (out.manualCheck) {
    const { note: _, ...check } = out.manualCheck;
    out.manualCheck = check;
  }
  if (out.delivery) {
    const { reachedNote: _, ...delivery } = out.delivery;
    out.delivery = delivery;
  }
  return out;
}
