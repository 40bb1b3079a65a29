// Which recipients and processors are told what (PROMISES P13): after a rectification or an erasure each recipient
// that received the subject's data (Art. 19); after an objection to direct marketing or a one-click opt-out the
// processors of the marketing lists (Art. 21(3), Art. 28(3)(a)). Plans only: notice-delivery.ts sends them.
//
// Personal data (the address the recipient knows the subject by, the new values) goes only into the HTTP body to
// the recipient and into the stored notice until the recipient acknowledges it: a re-send must carry the same
// body even after the request has closed and dropped the address. Logs, audit entries, metrics and workflow
// payloads carry ids, statuses and counts.

import * as z from 'zod';
import { RECTIFIABLE_FIELDS, type RectifiableField } from './connector.ts';
import { holdingOf, receivedThrough } from './recipients-reached.ts';
import {
  loadProcessingRegister,
  loadRecipients,
  NOTIFICATION_EVENTS,
  type NotificationEvent,
  type Recipient,
  recipientsToNotify,
} from './registers/index.ts';
import type { RequestRecord } from './request.ts';
import type { SystemName } from './schemas.ts';
import { MarketingList } from './suppression.ts';
import { allSystems } from './systems.ts';

/**
 * Configuration names (read with `env()`/`envNumber()`); to move into `ENV` of functions/core/config.ts.
 * `RECIPIENTS_BASE_URL` fills `{recipientsBaseUrl}` in the register's notification URLs;
 * `NOTICE_ACK_TIMEOUT_MINUTES` is how long a notice may stay unacknowledged before the sweep re-sends it and
 * counts it in the `UnacknowledgedNotices` metric (alarm).
 */
export const DEFAULT_ACK_TIMEOUT_MINUTES = 1440;

export const INSTRUCTIONS = ['rectify', 'erase', 'stop_processing', 'unsubscribe'] as const;

const INSTRUCTION_FOR: Record<NotificationEvent, (typeof INSTRUCTIONS)[number]> = {
  rectification: 'rectify',
  erasure: 'erase',
  objection: 'stop_processing',
  opt_out: 'unsubscribe',
};

const LEGAL_BASIS: Record<NotificationEvent, string> = {
  rectification: 'GDPR Art. 16 and Art. 19',
  erasure: 'GDPR Art. 17 and Art. 19',
  objection: 'GDPR Art. 21(3); instruction under Art. 28(3)(a)',
  opt_out: 'GDPR Art. 7(3) and Art. 21(3); instruction under Art. 28(3)(a)',
};

/** The JSON a recipient's notification endpoint receives (with the `Idempotency-Key` header = `noticeId`). */
export const NoticeBody = z.object({
  noticeId: z.string().describe('also the Idempotency-Key header: a repeat carries the same one'),
  controller: z.object({ name: z.string(), email: z.string() }),
  recipient: z.string(),
  event: z.enum(NOTIFICATION_EVENTS),
  instruction: z.enum(INSTRUCTIONS),
  legalBasis: z.string(),
  subject: z
    .object({ email: z.string() })
    .describe('the identifiers the recipient already holds, to find the subject by'),
  changes: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('rectification: the new values of the fields this recipient receives'),
  lists: z.array(MarketingList).optional(),
  issuedAt: z.string(),
});
export type NoticeBody = z.infer<typeof NoticeBody>;

/** One notice to send: to whom, about what, and the body. */
export interface NoticePlan {
  recipientId: string;
  event: NotificationEvent;
  body: NoticeBody;
}

/** Whose notices these are: a request's (Art. 19, objection) or a one-click opt-out's (P5). */
export interface NoticeOwner {
  kind: 'request' | 'optout';
  id: string;
}

/** The Idempotency-Key of a notice: the same for every re-send. */
export const noticeKey = (owner: NoticeOwner, recipientId: string) => `${owner.id}:${recipientId}`;

export type NoticeStatus = 'sent' | 'acknowledged';

/** A notice as recorded. `payload` is kept only until the recipient acknowledges it. */
export interface NoticeRecord {
  owner: NoticeOwner;
  recipientId: string;
  event: NotificationEvent;
  idempotencyKey: string;
  status: NoticeStatus;
  attempts: number;
  firstSentAt: string;
  lastAttemptAt: string;
  acknowledgedAt?: string;
  /** name of the last failure (`HTTP503`, `ECONNREFUSED`, `TimeoutError`, `NotAcknowledged`); never a message */
  lastError?: string;
  payload?: NoticeBody;
}

const controller = () => {
  const c = loadProcessingRegister().controller;
  return { name: c.name, email: c.email.toLowerCase() };
};

function body(
  owner: NoticeOwner,
  recipient: Recipient,
  event: NotificationEvent,
  email: string,
  at: Date,
  extra: Pick<NoticeBody, 'changes' | 'lists'> = {},
): NoticePlan {
  return {
    recipientId: recipient.id,
    event,
    body: {
      noticeId: noticeKey(owner, recipient.id),
      controller: controller(),
      recipient: recipient.id,
      event,
      instruction: INSTRUCTION_FOR[event],
      legalBasis: LEGAL_BASIS[event],
      subject: { email },
      ...extra,
      issuedAt: at.toISOString(),
    },
  };
}

const EVENT_OF: Partial<Record<RequestRecord['type'], NotificationEvent>> = {
  rectification: 'rectification',
  erasure: 'erasure',
  objection: 'objection',
};

/**
 * Whether a system has acted on the request and held the subject: only recipients fed by such a system have
 * received the subject's data from us, and no address is ever sent to a recipient that did not have it.
 */
function heldAndActed(r: RequestRecord, system: SystemName): boolean {
  const s = r.systems[system];
  if (s?.state !== 'done') return false;
  if (s.located?.found) return true;
  return (s.outcomes ?? []).some((o) => 'records' in o && o.records > 0);
}

/**
 * Which recipients a request affects and the notice each gets (P13). Only a recipient that received the subject's
 * data is told (the register says which record types and lists it receives; the locate says which the subject
 * has); where a locate did not name record types, every recipient of that system is. Rectification: those that
 * receive a changed field, with the new values of those fields only. Erasure: all of them. Objection to direct
 * marketing: the processors of the marketing lists, to stop. Access, portability, a profiling-only objection
 * and a rejected request notify no one.
 */
export function noticesForRequest(r: RequestRecord, at: Date): NoticePlan[] {
  const event = EVENT_OF[r.type];
  if (!event || r.status === 'rejected' || !r.email) return [];
  if (event === 'objection' && !(r.scope ?? []).includes('direct_marketing')) return [];
  const owner: NoticeOwner = { kind: 'request', id: r.id };
  const systems = allSystems().filter((s) => heldAndActed(r, s));
  if (systems.length === 0) return [];
  const received = (recipient: Recipient) =>
    systems.some((s) => receivedThrough(recipient, s, holdingOf(r.systems[s])) !== false);

  if (event === 'rectification') {
    const changes = (r.changes ?? {}) as Partial<Record<RectifiableField, unknown>>;
    const changed = RECTIFIABLE_FIELDS.filter((f) => changes[f] !== undefined);
    return recipientsToNotify({ event, systems, fields: changed })
      .filter(received)
      .map((recipient) => {
        const fields = changed.filter((f) => recipient.fields.includes(f));
        return body(owner, recipient, event, r.email, at, {
          changes: Object.fromEntries(fields.map((f) => [f, changes[f]])),
        });
      });
  }
  return recipientsToNotify({ event, systems })
    .filter(received)
    .filter((recipient) => event !== 'objection' || recipient.lists.length > 0)
    .map((recipient) =>
      body(
        owner,
        recipient,
        event,
        r.email,
        at,
        recipient.lists.length > 0 ? { lists: recipient.lists } : {},
      ),
    );
}

/**
 * The notice of a one-click opt-out (P5): to each processor of that list. One that takes `opt_out` notices is
 * told to unsubscribe the address; one that takes only objections is instructed to stop for that list.
 */
export function noticesForOptOut(input: {
  id: string;
  email: string;
  list: MarketingList;
  at: Date;
}): NoticePlan[] {
  const owner: NoticeOwner = { kind: 'optout', id: input.id };
  return loadRecipients()
    .recipients.filter((r) => r.lists.includes(input.list))
    .flatMap((recipient) => {
      const event: NotificationEvent | undefined = recipient.notify.events.includes('opt_out')
        ? 'opt_out'
        : recipient.notify.events.includes('objection')
          ? 'objection'
          : undefined;
      return event ? [body(owner, recipient, event, input.email, input.at, { lists: [input.list] })] : [];
    });
}
