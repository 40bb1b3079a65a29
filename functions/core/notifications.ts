// Recipients and processors (PROMISES P13): after a rectification or an erasure each recipient that received the
// subject's data is told (Art. 19); after an objection to direct marketing or a one-click opt-out the processors
// of the marketing lists are instructed to stop (Art. 21(3), Art. 28(3)(a)). Every notice carries an
// Idempotency-Key, is recorded (requests table, `NOTICE#<recipientId>`) and tracked to an acknowledgement.
//
// Personal data (the address the recipient knows the subject by, the new values) goes only into the HTTP body to
// the recipient and into the stored notice until the recipient acknowledges it: a re-send must carry the same
// body even after the request has closed and dropped the address. Logs, audit entries, metrics and workflow
// payloads carry ids, statuses and counts.
import { z } from 'zod';
import { RECTIFIABLE_FIELDS, type RectifiableField } from './connector.ts';
import type { AuditLog, RequestStore } from './ports.ts';
import {
  loadProcessingRegister,
  loadRecipients,
  NOTIFICATION_EVENTS,
  type NotificationEvent,
  notificationUrl,
  type Recipient,
  recipientsToNotify,
} from './registers/index.ts';
import type { RequestRecord } from './request.ts';
import { SYSTEMS, type SystemName } from './schemas.ts';
import { MarketingList } from './suppression.ts';

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

export interface NoticeStore {
  /**
   * Records an attempt about to be made: creates the notice as `sent` (its first body is the one every re-send
   * carries) or counts one more attempt. Answers the record, or undefined when it is already acknowledged.
   */
  recordAttempt(owner: NoticeOwner, plan: NoticePlan, at: Date): Promise<NoticeRecord | undefined>;
  /** Marks the notice acknowledged and drops its body. */
  acknowledge(owner: NoticeOwner, recipientId: string, at: Date): Promise<void>;
  /** Keeps the notice `sent`, with the name of what went wrong. */
  failed(owner: NoticeOwner, recipientId: string, error: string): Promise<void>;
  list(owner: NoticeOwner): Promise<NoticeRecord[]>;
  /** Unacknowledged notices first sent at or before `before`, oldest first, at most `limit`. */
  unacknowledged(before: Date, limit: number): Promise<NoticeRecord[]>;
}

/** What a recipient answered: acknowledged only on 2xx with `{"acknowledged":true}`. */
export interface NotifyResult {
  acknowledged: boolean;
  error?: string;
}

export interface Notifier {
  send(url: string, idempotencyKey: string, body: NoticeBody): Promise<NotifyResult>;
}

export interface NoticeDelivery {
  store: NoticeStore;
  notifier: Notifier;
  /** fills `{recipientsBaseUrl}` in the register's URLs */
  recipientsBaseUrl: string;
  now: () => Date;
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
 * Which recipients a request affects and the notice each gets (P13). Rectification: those that receive a
 * changed field, with the new values of those fields only. Erasure: every recipient of a system that held the
 * subject. Objection to direct marketing: the processors of the marketing lists, to stop. Access, portability,
 * a profiling-only objection and a rejected request notify no one.
 */
export function noticesForRequest(r: RequestRecord, at: Date): NoticePlan[] {
  const event = EVENT_OF[r.type];
  if (!event || r.status === 'rejected' || !r.email) return [];
  if (event === 'objection' && !(r.scope ?? []).includes('direct_marketing')) return [];
  const owner: NoticeOwner = { kind: 'request', id: r.id };
  const systems = SYSTEMS.filter((s) => heldAndActed(r, s));
  if (systems.length === 0) return [];

  if (event === 'rectification') {
    const changes = (r.changes ?? {}) as Partial<Record<RectifiableField, unknown>>;
    const changed = RECTIFIABLE_FIELDS.filter((f) => changes[f] !== undefined);
    return recipientsToNotify({ event, systems, fields: changed }).map((recipient) => {
      const fields = changed.filter((f) => recipient.fields.includes(f));
      return body(owner, recipient, event, r.email, at, {
        changes: Object.fromEntries(fields.map((f) => [f, changes[f]])),
      });
    });
  }
  return recipientsToNotify({ event, systems })
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

/** What a delivery did: `sent` lists the notices sent in this run; counts cover every notice of the owner. */
export interface DeliveryResult {
  notified: number;
  acknowledged: number;
  sent: { recipientId: string; status: NoticeStatus; error?: string }[];
}

async function sendOne(delivery: NoticeDelivery, record: NoticeRecord): Promise<NotifyResult> {
  const recipient = loadRecipients().recipients.find((r) => r.id === record.recipientId);
  const fail = async (error: string) => {
    await delivery.store.failed(record.owner, record.recipientId, error);
    return { acknowledged: false, error };
  };
  if (!recipient) return fail('UnknownRecipient');
  if (!record.payload) return fail('PayloadMissing');
  const url = notificationUrl(recipient, { recipientsBaseUrl: delivery.recipientsBaseUrl });
  const result = await delivery.notifier.send(url, record.idempotencyKey, record.payload);
  if (result.acknowledged) {
    await delivery.store.acknowledge(record.owner, record.recipientId, delivery.now());
    return result;
  }
  return fail(result.error ?? 'NotAcknowledged');
}

/**
 * Sends each planned notice not yet acknowledged: record first, then send, so a crash in between leaves a `sent`
 * notice the sweep re-sends with the same Idempotency-Key. A recipient that does not acknowledge never fails
 * the caller; its notice stays `sent` for the sweep and the alarm.
 */
export async function deliverNotices(
  delivery: NoticeDelivery,
  owner: NoticeOwner,
  plans: NoticePlan[],
): Promise<DeliveryResult> {
  const sent = await Promise.all(
    plans.map(async (plan) => {
      const record = await delivery.store.recordAttempt(owner, plan, delivery.now());
      if (!record) return undefined;
      const result = await sendOne(delivery, record);
      return {
        recipientId: plan.recipientId,
        status: (result.acknowledged ? 'acknowledged' : 'sent') as NoticeStatus,
        ...(result.error ? { error: result.error } : {}),
      };
    }),
  );
  const all = await delivery.store.list(owner);
  return {
    notified: all.length,
    acknowledged: all.filter((n) => n.status === 'acknowledged').length,
    sent: sent.filter((s) => s !== undefined),
  };
}

export interface NotifyDeps {
  store: RequestStore;
  audit: AuditLog;
  delivery: NoticeDelivery;
}

/** Workflow step NotifyRecipients: notifies every affected recipient of a request; safe to repeat. */
export async function notifyRecipients(deps: NotifyDeps, requestId: string) {
  const r = await deps.store.get(requestId);
  if (!r) throw new Error(`Request ${requestId} not found`);
  const owner: NoticeOwner = { kind: 'request', id: requestId };
  const result = await deliverNotices(deps.delivery, owner, noticesForRequest(r, deps.delivery.now()));
  if (result.sent.length > 0) {
    await deps.audit.append(requestId, {
      actor: 'system',
      action: 'recipients.notified',
      details: { notices: Object.fromEntries(result.sent.map((n) => [n.recipientId, n.status])) },
    });
  }
  return { notified: result.notified, acknowledged: result.acknowledged };
}

/**
 * Notices one sweep handles: 20 batches of 10 at the notifier's 8 s timeout stay inside the function's 5 minutes;
 * a larger backlog is taken up by the next runs (and the alarm is raised either way).
 */
export const SWEEP_LIMIT = 200;

export interface SweepResult {
  /** notices sent again in this run */
  resent: number;
  /** of those, acknowledged now */
  acknowledged: number;
  /** overdue notices still unacknowledged after this run: the `UnacknowledgedNotices` metric */
  unacknowledged: number;
}

/**
 * Scheduled: re-sends every notice unacknowledged for longer than the timeout (same body, same key) and counts
 * those still unanswered. An acknowledgement that comes in is audited on the owner's chain.
 */
export async function sweepNotices(
  deps: { delivery: NoticeDelivery; audit: AuditLog },
  options: { timeoutMinutes: number; limit?: number },
): Promise<SweepResult> {
  const before = new Date(deps.delivery.now().getTime() - options.timeoutMinutes * 60_000);
  const due = await deps.delivery.store.unacknowledged(before, options.limit ?? SWEEP_LIMIT);
  let acknowledged = 0;
  // A few at a time: one slow recipient must not hold up the rest, nor may a backlog flood them.
  for (let i = 0; i < due.length; i += 10) {
    const batch = due.slice(i, i + 10);
    await Promise.all(
      batch.map(async (notice) => {
        const record = await deps.delivery.store.recordAttempt(
          notice.owner,
          {
            recipientId: notice.recipientId,
            event: notice.event,
            body: notice.payload as NoticeBody,
          },
          deps.delivery.now(),
        );
        if (!record) return;
        const result = await sendOne(deps.delivery, record);
        if (!result.acknowledged) return;
        acknowledged += 1;
        await deps.audit.append(notice.owner.id, {
          actor: 'system',
          action: 'recipient.acknowledged',
          details: { recipient: notice.recipientId, attempts: record.attempts },
        });
      }),
    );
  }
  return { resent: due.length, acknowledged, unacknowledged: due.length - acknowledged };
}
