// The notice sweep (hourly): notices unacknowledged past the timeout are sent again, same body and key.
import type { NoticeDelivery } from './notice-delivery.ts';
import { sendOne } from './notice-delivery.ts';
import type { NoticeBody } from './notice-plan.ts';
import type { AuditLog } from './ports.ts';

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
