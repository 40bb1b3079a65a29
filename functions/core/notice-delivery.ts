// Sending notices (PROMISES P13): every notice carries an Idempotency-Key, is recorded (requests table,
// `NOTICE#<recipientId>`) before it is sent, and is tracked to an acknowledgement.

import { factOf } from './audit.ts';
import type { NoticeBody, NoticeOwner, NoticePlan, NoticeRecord, NoticeStatus } from './notice-plan.ts';
import { noticesForRequest } from './notice-plan.ts';
import type { AuditLog, RequestStore } from './ports.ts';
import { loadRecipients, notificationUrl } from './registers/index.ts';

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

/** What a delivery did: `sent` lists the notices sent in this run; counts cover every notice of the owner. */
export interface DeliveryResult {
  notified: number;
  acknowledged: number;
  sent: { recipientId: string; status: NoticeStatus; error?: string }[];
}

/** Sends one recorded notice and records what the recipient answered. */
export async function sendOne(delivery: NoticeDelivery, record: NoticeRecord): Promise<NotifyResult> {
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
    const details = { notices: Object.fromEntries(result.sent.map((n) => [n.recipientId, n.status])) };
    await deps.audit.append(requestId, {
      actor: 'system',
      action: 'recipients.notified',
      details,
      fact: factOf('recipients.notified', r.attempt, Object.keys(details.notices).sort()),
    });
  }
  return { notified: result.notified, acknowledged: result.acknowledged };
}
