// In-memory notice store and notifier for unit tests of functions/core/notifications.ts.
import {
  type NoticeBody,
  type NoticeRecord,
  type NoticeStore,
  type Notifier,
  type NotifyResult,
  noticeKey,
} from '../../../functions/core/notifications.ts';

export function memoryNotices(): NoticeStore & { records: Map<string, NoticeRecord> } {
  const records = new Map<string, NoticeRecord>();
  const key = (ownerId: string, recipientId: string) => `${ownerId}|${recipientId}`;
  return {
    records,
    async recordAttempt(owner, plan, at) {
      const k = key(owner.id, plan.recipientId);
      const current = records.get(k);
      if (current?.status === 'acknowledged') return undefined;
      const now = at.toISOString();
      const next: NoticeRecord = current
        ? { ...current, attempts: current.attempts + 1, lastAttemptAt: now }
        : {
            owner,
            recipientId: plan.recipientId,
            event: plan.event,
            idempotencyKey: noticeKey(owner, plan.recipientId),
            status: 'sent',
            attempts: 1,
            firstSentAt: now,
            lastAttemptAt: now,
            payload: plan.body,
          };
      records.set(k, next);
      return structuredClone(next);
    },
    async acknowledge(owner, recipientId, at) {
      const r = records.get(key(owner.id, recipientId));
      if (!r) throw new Error('no notice');
      const { payload: _dropped, lastError: _error, ...rest } = r;
      records.set(key(owner.id, recipientId), {
        ...rest,
        status: 'acknowledged',
        acknowledgedAt: at.toISOString(),
      });
    },
    async failed(owner, recipientId, error) {
      const r = records.get(key(owner.id, recipientId));
      if (r?.status === 'sent') r.lastError = error;
    },
    async list(owner) {
      return [...records.values()].filter((r) => r.owner.id === owner.id).map((r) => structuredClone(r));
    },
    async unacknowledged(before, limit) {
      return [...records.values()]
        .filter((r) => r.status === 'sent' && r.firstSentAt <= before.toISOString())
        .sort((a, b) => a.firstSentAt.localeCompare(b.firstSentAt))
        .slice(0, limit)
        .map((r) => structuredClone(r));
    },
  };
}

/** A notifier that records what it sent and answers per recipient (acknowledge unless told otherwise). */
export function fakeNotifier(answers: Record<string, NotifyResult> = {}) {
  const sent: { url: string; idempotencyKey: string; body: NoticeBody }[] = [];
  const notifier: Notifier & { sent: typeof sent; answers: Record<string, NotifyResult> } = {
    sent,
    answers,
    async send(url, idempotencyKey, body) {
      sent.push({ url, idempotencyKey, body });
      return notifier.answers[body.recipient] ?? { acknowledged: true };
    },
  };
  return notifier;
}
