// Who the retention sweep erases (P11): a subject with no running contract and no activity in any system for
// RETENTION.inactivityYears. One with an open access request waits until it is answered (EDPB Guidelines 01/2022):
// the answer must show the data as it stood when the request came in. Pure: no AWS, no clock of its own.
import { RETENTION } from './config.ts';
import type { ActivityReport } from './connector.ts';

/**
 * What the sweep does with a subject:
 * - `inactive`: erased (or, in a dry run, listed as would go);
 * - `active`: some system saw them within the period;
 * - `contract_running`: a contract still runs;
 * - `open_access_request`: inactive, but an access or portability request is still open: kept until answered;
 * - `undated`: records but no dated activity anywhere: kept and counted, for staff to look at;
 * - `not_found`: no system holds them (already erased).
 */
export type Verdict =
  | 'inactive'
  | 'active'
  | 'contract_running'
  | 'open_access_request'
  | 'undated'
  | 'not_found';

export const VERDICTS: readonly Verdict[] = [
  'inactive',
  'active',
  'contract_running',
  'open_access_request',
  'undated',
  'not_found',
];

/**
 * The instant before which activity no longer counts: `years` calendar years before `now`, on the same date
 * (29 February becomes 28 February in a year without one).
 */
export function inactivityCutoff(now: Date, years: number = RETENTION.inactivityYears): Date {
  const year = now.getUTCFullYear() - years;
  const month = now.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(now.getUTCDate(), lastDay),
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
}

export interface SubjectFacts {
  /** one report per system */
  reports: ActivityReport[];
  /** an access or portability request of theirs is not yet answered */
  openAccessRequest: boolean;
}

export interface Classification {
  verdict: Verdict;
  /** the latest activity over every system, ISO 8601 */
  lastActivityAt?: string;
}

/** Classifies one subject on what every system reported. */
export function classify(
  facts: SubjectFacts,
  now: Date,
  years: number = RETENTION.inactivityYears,
): Classification {
  const found = facts.reports.flatMap((r) => (r.kind === 'found' ? [r] : []));
  if (found.length === 0) return { verdict: 'not_found' };
  const dates = found.flatMap((r) => (r.lastActivityAt ? [Date.parse(r.lastActivityAt)] : []));
  const latest = dates.length > 0 ? Math.max(...dates) : undefined;
  const lastActivityAt = latest === undefined ? undefined : new Date(latest).toISOString();
  const dated = lastActivityAt ? { lastActivityAt } : {};
  if (found.some((r) => r.contractRunning)) return { verdict: 'contract_running', ...dated };
  if (latest === undefined) return { verdict: 'undated' };
  // Three years without activity have passed once the last activity lies on or before the cutoff.
  if (latest > inactivityCutoff(now, years).getTime()) return { verdict: 'active', ...dated };
  if (facts.openAccessRequest) return { verdict: 'open_access_request', ...dated };
  return { verdict: 'inactive', ...dated };
}
