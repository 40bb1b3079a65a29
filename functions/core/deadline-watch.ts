// What the deadline sweep makes of one open request at an instant (P9, Art. 12(3)–(4)): how near its due date is,
// which staff reminder is due, and whether the subject must now have an interim answer. Pure: no ports, no clock.
import { undeliverable } from './delivery.ts';
import { allSystemsDone, FINAL_STATUSES } from './lifecycle.ts';
import type { RequestRecord } from './request.ts';
import { STATUSES, type Status } from './schemas.ts';

const DAY_MS = 86_400_000;

/**
 * Statuses the deadline watches: verified and not closed for good. Before verification nobody can be answered
 * (P8: nothing is revealed or done) and the request expires; a final request has had its answer.
 */
export const WATCHED_STATUSES: readonly Status[] = STATUSES.filter(
  (s) => s !== 'awaiting_verification' && !FINAL_STATUSES.includes(s),
);

export const isWatched = (status: Status) => WATCHED_STATUSES.includes(status);

/**
 * Whether the deadline sweep watches this request: an open, verified one, or a closed one whose answer bounced or
 * was complained about (P10): it is not answered until staff reach the subject, so its due date still counts.
 */
export const isWatchedRequest = (r: Pick<RequestRecord, 'status' | 'delivery'>) =>
  isWatched(r.status) || (undeliverable(r) && r.status !== 'awaiting_verification' && r.status !== 'expired');

/** The due date in force: the extended one once the period was extended (P9). */
export const dueInForce = (r: Pick<RequestRecord, 'dueAt' | 'extension'>) => r.extension?.dueAt ?? r.dueAt;

/** While an extension is still possible, the interim answer goes this long before the first due date. */
export const INTERIM_BEFORE_EXTENDABLE_DUE_MS = 3 * DAY_MS;
/** Otherwise on the due day itself (the due date is the end of that day), so it still arrives in time. */
export const INTERIM_BEFORE_DUE_MS = DAY_MS;
/** A request partially completed for longer than this raises its own alarm. */
export const PARTIAL_ALARM_MS = DAY_MS;

/** A staff reminder: so many days left (a configured step), or the due date passed. */
export type ReminderStep = string;
export const OVERDUE: ReminderStep = 'overdue';

export interface DeadlineState {
  /** the due date in force */
  dueAt: string;
  /** days until it, fractional; zero or less once it has passed */
  daysLeft: number;
  overdue: boolean;
  within7Days: boolean;
  within2Days: boolean;
  /** the staff reminder to send now (the most urgent step reached), and every step it makes good */
  reminder?: { step: ReminderStep; covers: ReminderStep[] };
  /** not extended yet and the first due date not passed: staff may still extend (Art. 12(3)) */
  extensionPossible: boolean;
  /** staff must act: the request ended partially completed, its workflow failed, or its mail did not reach the subject */
  needsAction: boolean;
  /** the subject must have the interim answer now */
  interimDue: boolean;
  /** partially completed for longer than a day */
  partialOverADay: boolean;
}

/** The workflow of the request's current attempt failed. */
export const workflowFailed = (r: Pick<RequestRecord, 'failure' | 'attempt'>) =>
  r.failure !== undefined && r.failure.attempt === r.attempt;

/** Every system acted and the subject was told and reached: nothing is pending, whatever the status says. */
const nothingPending = (r: RequestRecord) => allSystemsDone(r) && r.toldAt !== undefined && !undeliverable(r);

/** What the sweep records for the due date in force; an extension starts the steps afresh. */
export function deadlineRecord(
  r: RequestRecord,
  dueAt = dueInForce(r),
): NonNullable<RequestRecord['deadline']> {
  return r.deadline?.dueAt === dueAt ? r.deadline : { dueAt, reminded: [] };
}

/**
 * Classifies an open request at `now`. `reminderDays` are the steps (days left) at which staff are reminded, once
 * each per due date; past the due date they are reminded once more. Only the most urgent step reached is sent: a
 * request first seen with 4 days left gets the 5-day reminder, not the 10-day one as well.
 */
export function classifyDeadline(
  r: RequestRecord,
  now: Date,
  reminderDays: readonly number[],
): DeadlineState {
  const dueAt = dueInForce(r);
  const left = Date.parse(dueAt) - now.getTime();
  const daysLeft = left / DAY_MS;
  const overdue = left <= 0;
  const record = deadlineRecord(r, dueAt);

  // Least urgent first, so the last one reached is the one to send.
  const steps = [...reminderDays].sort((a, b) => b - a);
  const reached = [
    ...steps.filter((d) => overdue || daysLeft <= d).map(String),
    ...(overdue ? [OVERDUE] : []),
  ];
  const latest = reached.at(-1);
  const reminder =
    latest !== undefined && !record.reminded.includes(latest)
      ? { step: latest, covers: reached.filter((s) => !record.reminded.includes(s)) }
      : undefined;

  const extensionPossible = r.extension === undefined && now.getTime() < Date.parse(r.dueAt);
  const systemsFailed = r.status === 'partially_completed' || workflowFailed(r);
  const needsAction = systemsFailed || undeliverable(r);
  const interimAt =
    Date.parse(dueAt) - (extensionPossible ? INTERIM_BEFORE_EXTENDABLE_DUE_MS : INTERIM_BEFORE_DUE_MS);
  // An interim answer to an address that bounced would bounce too: staff reach the subject instead.
  const interimDue =
    systemsFailed &&
    !undeliverable(r) &&
    !nothingPending(r) &&
    record.interimAt === undefined &&
    now.getTime() >= interimAt;
  const since = r.closedAt === undefined ? Number.NaN : now.getTime() - Date.parse(r.closedAt);

  return {
    dueAt,
    daysLeft,
    overdue,
    within7Days: !overdue && daysLeft <= 7,
    within2Days: !overdue && daysLeft <= 2,
    ...(reminder ? { reminder } : {}),
    extensionPossible,
    needsAction,
    interimDue,
    partialOverADay: r.status === 'partially_completed' && since > PARTIAL_ALARM_MS,
  };
}

/**
 * Why staff should look at a request first, for the staff list: a failed workflow, a failed system, a mail that did
 * not reach the subject (P10), a breach.
 */
export const ATTENTIONS = ['workflow_failed', 'partially_completed', 'overdue', 'undeliverable'] as const;
export type Attention = (typeof ATTENTIONS)[number];

export function attentionOf(r: RequestRecord, now: Date): Attention | undefined {
  if (workflowFailed(r) && !FINAL_STATUSES.includes(r.status)) return 'workflow_failed';
  if (r.status === 'partially_completed') return 'partially_completed';
  if (undeliverable(r)) return 'undeliverable';
  if (isWatched(r.status) && Date.parse(dueInForce(r)) <= now.getTime()) return 'overdue';
  return undefined;
}
