// The staff dashboard (P9): the open requests as the deadline sweep counts them (deadline-figures.ts, the same tally
// behind its metrics), and the completed ones of the last 26 ISO weeks: days to complete per type, and completions
// per week on time, late or on time within an extended period. Counts only, never who.
import { openTally } from './deadline-figures.ts';
import { classifyDeadline, dueInForce, WATCHED_STATUSES } from './deadline-watch.ts';
import { calendarDaysBetween, isoWeekOf } from './deadlines.ts';
import type { CompletedRequests, OpenRequests } from './ports.ts';
import type { RequestRecord } from './request.ts';
import { REQUEST_TYPES, type RequestType, type Status, type SystemName } from './schemas.ts';

/** How many ISO weeks the completions chart covers, the current one included. */
export const DASHBOARD_WEEKS = 26;
const DAY_MS = 86_400_000;
/**
 * Completed requests are read by receipt date (the byStatus index's sort key); a request closes at the latest a few
 * months after receipt (P9: at most three months, extended), so reading from a year before the first week finds
 * every completion in the window, and one that came even later shows in its week as late once read.
 */
const RECEIPT_LOOKBACK_DAYS = 365;

export interface DashboardDeps {
  open: OpenRequests;
  completed: CompletedRequests;
  now: () => Date;
}

export interface Dashboard {
  at: string;
  open: Partial<Record<Status, number>>;
  dueThisWeek: number;
  overdue: number;
  daysToComplete: Record<RequestType, { median: number | null; p95: number | null; completed: number }>;
  completions: { week: string; onTime: number; late: number; extended: number }[];
  failingSystems: { system: SystemName; requests: number }[];
}

/** The nearest-rank percentile of sorted values (p in 0..100); null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

/** The Mondays of the last `weeks` ISO weeks up to the one `now` is in, oldest first. */
export function lastWeeks(now: Date, weeks = DASHBOARD_WEEKS): string[] {
  const current = Date.parse(`${isoWeekOf(now)}T12:00:00Z`);
  return Array.from({ length: weeks }, (_, i) =>
    new Date(current - (weeks - 1 - i) * 7 * DAY_MS).toISOString().slice(0, 10),
  );
}

/** How a completed request kept its due date: in the first period, within its extension, or not. */
export function timeliness(r: Pick<RequestRecord, 'dueAt' | 'extension' | 'closedAt'>) {
  if (!r.closedAt || Date.parse(r.closedAt) > Date.parse(dueInForce(r))) return 'late' as const;
  return r.extension ? ('extended' as const) : ('onTime' as const);
}

/** Gathers the dashboard: the open requests through the due-date index, the completed ones by receipt date. */
export async function dashboard(deps: DashboardDeps): Promise<Dashboard> {
  const now = deps.now();
  const tally = openTally();
  for await (const page of deps.open.byDue()) {
    // Reminder steps play no part in the counts.
    for (const r of page) tally.add(r, classifyDeadline(r, now, []));
  }
  const figures = tally.figures();
  const open: Partial<Record<Status, number>> = Object.fromEntries(WATCHED_STATUSES.map((s) => [s, 0]));
  for (const g of figures.groups) open[g.status] = (open[g.status] ?? 0) + g.counts.open;

  const weeks = lastWeeks(now);
  const first = weeks[0] ?? isoWeekOf(now);
  const perWeek = new Map(weeks.map((week) => [week, { week, onTime: 0, late: 0, extended: 0 }]));
  const days = new Map<RequestType, number[]>(REQUEST_TYPES.map((t) => [t, []]));
  const from = new Date(Date.parse(`${first}T00:00:00Z`) - RECEIPT_LOOKBACK_DAYS * DAY_MS);
  for await (const page of deps.completed.completedSince(from.toISOString())) {
    for (const r of page) {
      if (!r.closedAt) continue;
      const week = perWeek.get(isoWeekOf(new Date(r.closedAt)));
      if (!week) continue;
      week[timeliness(r)] += 1;
      days.get(r.type)?.push(calendarDaysBetween(new Date(r.receivedAt), new Date(r.closedAt)));
    }
  }
  const daysToComplete = Object.fromEntries(
    [...days].map(([type, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return [
        type,
        { median: percentile(sorted, 50), p95: percentile(sorted, 95), completed: sorted.length },
      ];
    }),
  ) as Dashboard['daysToComplete'];

  return {
    at: now.toISOString(),
    open,
    dueThisWeek: figures.totals.dueWithin7Days,
    overdue: figures.totals.overdue,
    daysToComplete,
    completions: [...perWeek.values()],
    failingSystems: figures.failingSystems,
  };
}
