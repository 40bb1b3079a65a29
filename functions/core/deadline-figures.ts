// The figures of the open requests (P9): one tally, fed request by request as the due-date index is read, used both
// by the deadline sweep's metrics and by the staff dashboard, so the two never count the same thing two ways.
import type { DeadlineState } from './deadline-watch.ts';
import type { RequestRecord } from './request.ts';
import type { RequestType, Status, SystemName } from './schemas.ts';

/** The figures of a group of open requests; counts only, never who. */
export interface DeadlineCounts {
  open: number;
  dueWithin7Days: number;
  dueWithin2Days: number;
  overdue: number;
}

export interface OpenFigures {
  totals: DeadlineCounts & { partiallyCompletedOverADay: number; needingAction: number };
  /** the same figures per request type and status, for the groups that have open requests */
  groups: { type: RequestType; status: Status; counts: DeadlineCounts }[];
  /** partially completed requests per system that failed in them, most first */
  failingSystems: { system: SystemName; requests: number }[];
}

const zero = (): DeadlineCounts => ({ open: 0, dueWithin7Days: 0, dueWithin2Days: 0, overdue: 0 });

function add(counts: DeadlineCounts, s: DeadlineState) {
  counts.open += 1;
  if (s.within7Days) counts.dueWithin7Days += 1;
  if (s.within2Days) counts.dueWithin2Days += 1;
  if (s.overdue) counts.overdue += 1;
}

/** A running tally of open requests, each classified (deadline-watch.ts classifyDeadline) at the same instant. */
export function openTally() {
  const totals = { ...zero(), partiallyCompletedOverADay: 0, needingAction: 0 };
  const groups = new Map<string, OpenFigures['groups'][number]>();
  const failing = new Map<SystemName, number>();
  return {
    add(r: RequestRecord, state: DeadlineState) {
      add(totals, state);
      if (state.partialOverADay) totals.partiallyCompletedOverADay += 1;
      if (state.needsAction) totals.needingAction += 1;
      const key = `${r.type}/${r.status}`;
      const group = groups.get(key) ?? { type: r.type, status: r.status, counts: zero() };
      add(group.counts, state);
      groups.set(key, group);
      if (r.status !== 'partially_completed') return;
      for (const [system, s] of Object.entries(r.systems) as [SystemName, { state: string } | undefined][])
        if (s?.state === 'failed') failing.set(system, (failing.get(system) ?? 0) + 1);
    },
    figures(): OpenFigures {
      return {
        totals,
        groups: [...groups.values()],
        failingSystems: [...failing]
          .map(([system, requests]) => ({ system, requests }))
          .sort((a, b) => b.requests - a.requests || a.system.localeCompare(b.system)),
      };
    },
  };
}
