// Extending the period for an answer (P9, GDPR Art. 12(3)): once, for complexity or the number of requests, while the
// first period runs, to at most receipt + three months; the subject is told with the reason before the first due
// date. Staff may name an earlier day than the maximum, which is also the default: a day they expect to meet tells
// the subject more, and since there is only one extension, the default leaves no second one to ask for.
import * as z from 'zod';
import { brusselsDay, endOfDay, maxExtendedDueDate } from './deadlines.ts';
import { type Refusal, RefusedError } from './errors.ts';
import { FINAL_STATUSES } from './lifecycle.ts';
import { extensionMessage } from './messages/index.ts';
import type { AuditLog, Mailer, RequestStore } from './ports.ts';
import { knownLanguage } from './progress.ts';
import type { RequestRecord } from './request.ts';
import { ExtensionReason, withoutControlCharacters } from './schemas.ts';

/** A staff extension: the ground, why it is necessary (kept for accountability, Art. 5(2)), and optionally the day. */
export const ExtendBody = z
  .strictObject({
    reason: ExtensionReason.openapi({
      description: 'The ground the GDPR allows (Art. 12(3)); the subject is told it in their language',
    }),
    note: z
      .string({ error: 'Say why the extension is necessary' })
      .trim()
      .min(10, 'Say why the extension is necessary, in at least 10 characters')
      .max(500, 'At most 500 characters')
      .refine(withoutControlCharacters, { message: 'No control characters' })
      .openapi({
        description: 'Why the extension is necessary; internal, never sent to the subject or audited',
      }),
    dueDate: z.iso.date().optional().openapi({
      description:
        'The new due date, a day in Brussels: after the first due date and at most receipt + three months, the default',
      example: '2026-04-05',
    }),
  })
  .openapi('ExtendRequest');
export type ExtendBody = z.infer<typeof ExtendBody>;

export interface ExtensionDeps {
  store: RequestStore;
  audit: AuditLog;
  mailer: Mailer;
  now: () => Date;
}

/**
 * Why the request cannot be extended now, if it cannot. An extension recorded whose notice was never sent (the mail
 * failed) is no second extension: the same ground again finishes it.
 */
function extensionRefusal(r: RequestRecord, now: Date, reason: ExtensionReason): Refusal | undefined {
  if (FINAL_STATUSES.includes(r.status)) return { reason: 'request_closed', status: r.status };
  // Before verification nothing is known about who asks, and nothing may be said to them but the code (P8).
  if (r.status === 'awaiting_verification') return { reason: 'not_extendable', status: r.status };
  if (r.extension) {
    const unfinished = !r.extension.noticeSentAt && r.extension.reason === reason;
    return unfinished ? undefined : { reason: 'already_extended', dueAt: r.extension.dueAt };
  }
  if (now.getTime() > Date.parse(r.dueAt)) return { reason: 'extension_too_late', dueAt: r.dueAt };
  return undefined;
}

/** The new due date: the end of the day staff named, or receipt + three months; a refusal outside those bounds. */
function newDueAt(r: RequestRecord, day: string | undefined): Date | Refusal {
  const latest = maxExtendedDueDate(new Date(r.receivedAt));
  const due = day === undefined ? latest : endOfDay(day);
  const first = Date.parse(r.dueAt);
  if (due.getTime() > first && due.getTime() <= latest.getTime()) return due;
  return {
    reason: 'extension_date_not_allowed',
    earliest: brusselsDay(new Date(first + 1)),
    latest: brusselsDay(latest),
  };
}

/** Extends the period of a request; staffId is the staff member's pseudonymous id. */
export async function extendRequest(deps: ExtensionDeps, id: string, staffId: string, body: ExtendBody) {
  const now = deps.now();
  let refusal: Refusal | undefined;
  const updated = await deps.store.update(
    id,
    (r) => {
      refusal = extensionRefusal(r, now, body.reason);
      if (refusal || r.extension) return undefined;
      const due = newDueAt(r, body.dueDate);
      if (!(due instanceof Date)) {
        refusal = due;
        return undefined;
      }
      r.extension = {
        reason: body.reason,
        dueAt: due.toISOString(),
        at: now.toISOString(),
        by: staffId,
        note: body.note,
      };
      return r;
    },
    (r) => ({
      actor: `staff:${staffId}`,
      action: 'request.extended',
      // The ground and the dates; staff's note stays on the request, out of the trail.
      details: { reason: r.extension?.reason, firstDueAt: r.dueAt, dueAt: r.extension?.dueAt },
    }),
  );
  if (!updated) throw new RefusedError({ reason: 'request_not_found' });
  if (refusal) throw new RefusedError(refusal);
  const extension = updated.extension as NonNullable<RequestRecord['extension']>;
  await tellExtension(deps, updated);
  return {
    id,
    status: updated.status,
    dueAt: extension.dueAt,
    extended: { reason: extension.reason, dueAt: extension.dueAt },
  };
}

/** Sends the extension notice (at least once, keyed) and records when. */
async function tellExtension(deps: ExtensionDeps, r: RequestRecord) {
  const extension = r.extension;
  if (!extension || extension.noticeSentAt) return;
  const message = extensionMessage(knownLanguage(r), r.type, extension.reason, {
    receivedAt: r.receivedAt,
    firstDueAt: r.dueAt,
    dueAt: extension.dueAt,
  });
  await deps.mailer.send({
    to: r.email,
    ...message,
    idempotencyKey: `${r.id}:extended`,
    about: { requestId: r.id, kind: 'extension', to: 'subject' },
  });
  const at = deps.now().toISOString();
  await deps.store.update(r.id, (cur) => {
    if (!cur.extension || cur.extension.noticeSentAt) return undefined;
    cur.extension.noticeSentAt = at;
    return cur;
  });
  await deps.audit.append(r.id, {
    actor: 'system',
    action: 'extension.notified',
    details: { reason: extension.reason },
  });
}
