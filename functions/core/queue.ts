// The staff queue (P9, P15): which requests staff see, in which order, and what each row says. Ids, types, statuses
// and dates only: the list carries no personal data, whoever the viewer.
import * as z from 'zod';
import { attentionOf, dueInForce, isWatched, workflowFailed } from './deadline-watch.ts';
import { calendarDaysBetween } from './deadlines.ts';
import type { ListQuery, RequestStore } from './ports.ts';
import type { RequestRecord } from './request.ts';
import { Channel, RequestId, RequestType, Status } from './schemas.ts';

const DAY_MS = 86_400_000;
/** "Due soon" for the needs-action filter: the deadline sweep's 7-day figure (DeadlineCounts.dueWithin7Days). */
export const DUE_SOON_DAYS = 7;

/** Statuses in which the request waits for a staff decision or repair. */
const WAITING_FOR_STAFF: readonly Status[] = [
  'awaiting_approval',
  'awaiting_identity_check',
  'partially_completed',
];

/** The queue's query string; every field optional. */
export const QueueQuery = z.strictObject({
  status: Status.optional(),
  type: RequestType.optional(),
  channel: Channel.optional(),
  attention: z.literal('needs_action').optional(),
  id: RequestId.optional(),
  order: z.enum(['received', 'due']).default('received'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

/**
 * Whether staff must act on an open request now (Art. 12(3)–(4)): it waits for a decision or a repair, its
 * workflow failed, or its due date has passed or comes within DUE_SOON_DAYS.
 */
export function needsAction(r: RequestRecord, now: Date): boolean {
  if (!isWatched(r.status)) return false;
  if (WAITING_FOR_STAFF.includes(r.status) || workflowFailed(r)) return true;
  return Date.parse(dueInForce(r)) - now.getTime() <= DUE_SOON_DAYS * DAY_MS;
}

/** One row of the queue; `daysLeft` (Brussels calendar days, negative once overdue) while the request is open. */
export function queueItem(r: RequestRecord, now: Date) {
  const dueAt = dueInForce(r);
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    channel: r.channel,
    receivedAt: r.receivedAt,
    dueAt,
    ...(isWatched(r.status) ? { daysLeft: calendarDaysBetween(now, new Date(dueAt)) } : {}),
    attention: attentionOf(r, now),
  };
}
export type QueueItem = ReturnType<typeof queueItem>;

const matches = (q: QueueQuery, now: Date) => (r: RequestRecord) =>
  (q.status === undefined || r.status === q.status) &&
  (q.type === undefined || r.type === q.type) &&
  (q.channel === undefined || r.channel === q.channel) &&
  (q.order !== 'due' || isWatched(r.status)) &&
  (q.attention === undefined || needsAction(r, now));

/** A page of the queue: one request by its id, or the requests that pass every filter, in the order asked. */
export async function listQueue(
  store: RequestStore,
  q: QueueQuery,
  now: Date,
): Promise<{ items: QueueItem[]; cursor?: string }> {
  if (q.id !== undefined) {
    const r = await store.get(q.id);
    return { items: r && matches(q, now)(r) ? [queueItem(r, now)] : [] };
  }
  const needs = q.attention === 'needs_action';
  const query: ListQuery = {
    ...(q.status ? { status: q.status } : {}),
    ...(q.type ? { type: q.type } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    order: q.order,
    // Only open requests need action: the store reads no closed one in full.
    ...(needs ? { openOnly: true, keep: (r: RequestRecord) => needsAction(r, now) } : {}),
    limit: q.limit,
    ...(q.cursor ? { cursor: q.cursor } : {}),
  };
  const page = await store.list(query);
  return { items: page.items.map((r) => queueItem(r, now)), ...(page.cursor ? { cursor: page.cursor } : {}) };
}
