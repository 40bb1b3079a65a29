// Whether the subject was actually reached (P4, P10): a mail about a request that bounced or was complained about
// marks the request undeliverable. While that stands, staff see it in the queue and the deadline sweep keeps
// watching it, and the request is not reported answered, until staff record how they reached the subject instead.
import * as z from 'zod';
import { RefusedError } from './errors.ts';
import type { AuditLog, RequestStore } from './ports.ts';
import type { RequestRecord } from './request.ts';
import { withoutControlCharacters } from './schemas.ts';
import type { MessageLog } from './sent-messages.ts';
import type { DeliveryEvent } from './ses-event.ts';

/** How staff reached the subject once the mail did not. */
export const REACH_MEANS = ['letter', 'phone', 'other_address', 'in_person'] as const;

export const ReachedBody = z
  .strictObject({
    means: z.enum(REACH_MEANS).openapi({ description: 'How the subject was reached instead of the mail' }),
    note: z
      .string()
      .trim()
      .min(1, 'Leave the note out or write something')
      .max(500, 'At most 500 characters')
      .refine(withoutControlCharacters, { message: 'No control characters' })
      .optional()
      .openapi({
        description: 'Internal note for staff; never audited, removed when the request is minimised',
      }),
  })
  .openapi('SubjectReached');
export type ReachedBody = z.infer<typeof ReachedBody>;

/** A bounce or complaint stands and staff have not yet reached the subject another way. */
export const undeliverable = (r: Pick<RequestRecord, 'delivery'>) =>
  r.delivery !== undefined && r.delivery.reachedAt === undefined;

/** The request was answered: closed with an answer that reached the subject (or staff reached them after a bounce). */
export const answered = (r: Pick<RequestRecord, 'status' | 'delivery'>) =>
  (r.status === 'completed' || r.status === 'rejected') && !undeliverable(r);

/** What staff see of it; the message id and the list of events seen stay inside. */
export function deliveryView(r: RequestRecord) {
  const d = r.delivery;
  if (!d) return undefined;
  return {
    state: d.state,
    at: d.at,
    messageKind: d.messageKind,
    to: d.to,
    ...(d.reachedAt
      ? { reachedAt: d.reachedAt, reachedBy: d.reachedBy, means: d.reachedMeans, note: d.reachedNote }
      : {}),
  };
}

export interface DeliveryDeps {
  store: RequestStore;
  audit: AuditLog;
  messages: MessageLog;
  now: () => Date;
}

export type DeliveryOutcome =
  | { outcome: 'marked' | 'repeat'; requestId: string; kind: string }
  | { outcome: 'unknown' };

/** Marks the request a bounced or complained-about mail was about; a repeated event changes nothing. */
export async function recordDelivery(deps: DeliveryDeps, event: DeliveryEvent): Promise<DeliveryOutcome> {
  const mail = await deps.messages.find(event.messageId, event.idempotencyKey);
  if (!mail) return { outcome: 'unknown' };
  const seenKey = `${event.state}:${event.messageId}`;
  const at = event.at ?? deps.now().toISOString();
  let changed = false;
  const updated = await deps.store.update(mail.requestId, (r) => {
    changed = false;
    const seen = r.delivery?.seen ?? [];
    if (seen.includes(seenKey)) return undefined;
    changed = true;
    // A new bounce replaces what staff recorded for an earlier one: this mail did not reach anyone either.
    r.delivery = {
      state: event.state,
      at,
      messageKind: mail.kind,
      to: mail.to,
      messageId: event.messageId,
      seen: [...seen, seenKey],
    };
    return r;
  });
  if (!updated) return { outcome: 'unknown' };
  // Idempotent, so a retry after a crash here completes the log too.
  await deps.messages.mark(mail, event.state);
  if (changed)
    await deps.audit.append(mail.requestId, {
      actor: 'system',
      action: `message.${event.state}`,
      details: { messageKind: mail.kind, to: mail.to },
    });
  return { outcome: changed ? 'marked' : 'repeat', requestId: mail.requestId, kind: mail.kind };
}

/** Staff record that they reached the subject another way; the request then counts as answered again. */
export async function recordReached(
  deps: Pick<DeliveryDeps, 'store' | 'audit' | 'now'>,
  id: string,
  staffId: string,
  body: ReachedBody,
) {
  const at = deps.now().toISOString();
  let standing = false;
  const updated = await deps.store.update(
    id,
    (r) => {
      standing = undeliverable(r);
      if (!standing || !r.delivery) return undefined;
      r.delivery = {
        ...r.delivery,
        reachedAt: at,
        reachedBy: staffId,
        reachedMeans: body.means,
        ...(body.note ? { reachedNote: body.note } : {}),
      };
      return r;
    },
    (r) => ({
      actor: `staff:${staffId}`,
      action: 'subject.reached',
      details: { means: body.means, messageKind: r.delivery?.messageKind },
    }),
  );
  if (!updated) throw new RefusedError({ reason: 'request_not_found' });
  if (!standing) throw new RefusedError({ reason: 'nothing_undelivered' });
  return { id, status: updated.status, answered: answered(updated), delivery: deliveryView(updated) };
}
