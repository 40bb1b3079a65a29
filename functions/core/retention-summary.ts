// The retention sweep's last step (P11): adds up the batches' and the purge's counts, writes the run's summary,
// closes the run's audit chain and tells staff in one daily mail (counts only; the customer numbers stay in the
// run's files). No approval is asked: the mail is the account staff get of what happened.
import { RETENTION } from './config.ts';
import { VERDICTS, type Verdict } from './inactivity.ts';
import { english, formatDate, mail } from './messages/index.ts';
import type { Mailer } from './ports.ts';
import type { BatchCounts } from './retention-batch.ts';
import type { PurgeCounts } from './retention-purge.ts';
import {
  purgePrefix,
  resultPrefix,
  runChain,
  runPrefix,
  type SweepDeps,
  type SweepInput,
} from './retention-sweep.ts';

export interface SummaryDeps extends Pick<SweepDeps, 'files' | 'audit' | 'now'> {
  mailer: Mailer;
  staffInbox: string;
}

/** A whole run in counts. */
export interface SweepSummary extends Omit<BatchCounts, 'retained'> {
  dryRun: boolean;
  batches: number;
  /** records the erasures kept, by `system|category|ground` */
  retained: Record<string, number>;
  purged: number;
  deferred: number;
  purgedByGround: Record<string, number>;
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};
const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

/** Reads every file under a prefix, one at a time. */
async function* filesUnder<T>(deps: Pick<SweepDeps, 'files'>, prefix: string): AsyncGenerator<T> {
  for await (const keys of deps.files.list(prefix)) {
    for (const key of keys) {
      const text = await deps.files.get(key);
      if (text !== undefined) yield JSON.parse(text) as T;
    }
  }
}

/** Adds the run up, records it, and mails staff. */
export async function summariseSweep(deps: SummaryDeps, input: SweepInput): Promise<SweepSummary> {
  const summary: SweepSummary = {
    dryRun: input.dryRun,
    batches: 0,
    subjects: 0,
    verdicts: Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>,
    erased: 0,
    failed: 0,
    retained: {},
    purged: 0,
    deferred: 0,
    purgedByGround: {},
  };
  for await (const batch of filesUnder<BatchCounts>(deps, resultPrefix(input.runId))) {
    summary.batches += 1;
    summary.subjects += batch.subjects;
    summary.erased += batch.erased;
    summary.failed += batch.failed;
    add(summary.verdicts, batch.verdicts);
    add(summary.retained, batch.retained);
  }
  for await (const purge of filesUnder<PurgeCounts>(deps, purgePrefix(input.runId))) {
    summary.purged += purge.purged;
    summary.deferred += purge.deferred;
    add(summary.purgedByGround, purge.byGround);
  }
  await deps.files.put(`${runPrefix(input.runId)}summary.json`, JSON.stringify(summary));
  await deps.audit.append(runChain(input.runId), {
    actor: 'system',
    action: 'retention.sweep.summarised',
    details: { ...summary },
  });
  const message = staffSummary(input.runId, summary, deps.now());
  await deps.mailer.send({
    to: deps.staffInbox,
    ...message,
    idempotencyKey: `${input.runId}:summary`,
    about: 'staff',
  });
  return summary;
}

/** The daily mail to staff, in English like every staff notice: counts and where the lists are. */
export function staffSummary(runId: string, s: SweepSummary, now: Date) {
  const date = formatDate(now.toISOString(), 'en');
  const wouldGo = s.verdicts.inactive;
  const subject = s.dryRun
    ? english('staff.retentionSubjectDryRun', { date, erased: wouldGo })
    : english('staff.retentionSubject', { date, erased: s.erased });
  const lines = [
    s.dryRun
      ? english('staff.retentionWouldErase', { count: wouldGo })
      : english('staff.retentionErased', { count: s.erased }),
    english('staff.retentionHeld', { count: s.verdicts.open_access_request }),
    english('staff.retentionActive', { count: s.verdicts.active + s.verdicts.contract_running }),
    english('staff.retentionUndated', { count: s.verdicts.undated }),
    english('staff.retentionFailed', { count: s.failed }),
    english('staff.retentionKept', { count: sum(s.retained) }),
    english('staff.retentionPurged', { count: s.purged, deferred: s.deferred }),
  ];
  return mail('en', subject, [
    english('staff.retentionIntro', { runId, subjects: s.subjects, years: RETENTION.inactivityYears }),
    lines,
    english('staff.retentionLists', { prefix: runPrefix(runId) }),
  ]);
}
