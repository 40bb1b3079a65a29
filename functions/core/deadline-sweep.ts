// The deadline sweep (hourly, P9, Art. 12(3)–(4)): reads every open request by due date through the due-date index,
// counts them for the metrics, reminds staff once per step and gives the subject of a request that is not done the
// interim answer once. Mails go at least once (each with its idempotency key), then the step is recorded.

import { canAnswer } from './answers.ts';
import { type DeadlineCounts, type OpenFigures, openTally } from './deadline-figures.ts';
import {
  classifyDeadline,
  type DeadlineState,
  deadlineRecord,
  dueInForce,
  OVERDUE,
  workflowFailed,
} from './deadline-watch.ts';
import { deadlineStaffMessage, type InterimFacts, interimMessage } from './messages/index.ts';
import type { AuditLog, Mailer, OpenRequests, RequestStore } from './ports.ts';
import type { RequestRecord } from './request.ts';
import type { SystemName } from './schemas.ts';

export interface DeadlineSweepDeps {
  open: OpenRequests;
  store: RequestStore;
  audit: AuditLog;
  mailer: Mailer;
  staffInbox: string;
  now: () => Date;
}

export type { DeadlineCounts };

export interface DeadlineSweepResult extends OpenFigures {
  /** staff reminders and interim answers sent in this run */
  reminded: number;
  interimAnswers: number;
}

/** One run: every open request classified at the same instant, then acted on where a step is due. */
export async function sweepDeadlines(
  deps: DeadlineSweepDeps,
  options: { reminderDays: readonly number[] },
): Promise<DeadlineSweepResult> {
  const now = deps.now();
  const tally = openTally();
  let reminded = 0;
  let interimAnswers = 0;
  for await (const page of deps.open.byDue()) {
    for (const listed of page) {
      const state = classifyDeadline(listed, now, options.reminderDays);
      tally.add(listed, state);
      if (!state.reminder && !state.interimDue) continue;
      // The index is eventually consistent: act on the request as it stands now.
      const current = await deps.store.get(listed.id);
      if (!current) continue;
      const fresh = classifyDeadline(current, now, options.reminderDays);
      if (fresh.reminder && (await remindStaff(deps, current, fresh))) reminded += 1;
      if (fresh.interimDue && (await answerInterim(deps, current, fresh, now))) interimAnswers += 1;
    }
  }
  return { ...tally.figures(), reminded, interimAnswers };
}

/** Records on the request what was done for its due date; false when the due date changed meanwhile. */
async function record(
  deps: DeadlineSweepDeps,
  id: string,
  dueAt: string,
  change: (d: NonNullable<RequestRecord['deadline']>) => NonNullable<RequestRecord['deadline']>,
) {
  let stale = false;
  await deps.store.update(id, (cur) => {
    stale = dueInForce(cur) !== dueAt;
    if (stale) return undefined;
    cur.deadline = change(deadlineRecord(cur, dueAt));
    return cur;
  });
  return !stale;
}

async function remindStaff(deps: DeadlineSweepDeps, r: RequestRecord, s: DeadlineState) {
  const { step, covers } = s.reminder as NonNullable<DeadlineState['reminder']>;
  const message = deadlineStaffMessage(
    step === OVERDUE ? 'overdue' : 'reminder',
    r.id,
    r.status,
    s.dueAt,
    s.daysLeft,
  );
  await deps.mailer.send({
    to: deps.staffInbox,
    ...message,
    idempotencyKey: `${r.id}:deadline:${s.dueAt}:${step}`,
    about: 'staff',
  });
  const recorded = await record(deps, r.id, s.dueAt, (d) => ({
    ...d,
    reminded: [...new Set([...d.reminded, ...covers])],
  }));
  await deps.audit.append(r.id, {
    actor: 'system',
    action: 'deadline.reminded',
    details: { step, dueAt: s.dueAt },
  });
  return recorded;
}

/** What the interim answer says: systems done and pending, and how the period stands. */
export function interimFacts(r: RequestRecord, s: DeadlineState): InterimFacts {
  const systems = Object.entries(r.systems) as [SystemName, RequestRecord['systems'][SystemName]][];
  return {
    type: r.type,
    done: systems.filter(([, st]) => st?.state === 'done').map(([name]) => name),
    pending: systems.filter(([, st]) => st?.state !== 'done').map(([name]) => name),
    workflowFailed: workflowFailed(r),
    dueAt: s.dueAt,
    period: s.overdue ? 'late' : r.extension ? 'extended' : 'extendable',
  };
}

async function answerInterim(deps: DeadlineSweepDeps, r: RequestRecord, s: DeadlineState, now: Date) {
  // A request whose address is gone (a completed erasure blanks it) has no one left to tell.
  if (!canAnswer(r)) return false;
  const facts = interimFacts(r, s);
  await deps.mailer.send({
    to: r.email,
    ...interimMessage(r.language, facts),
    idempotencyKey: `${r.id}:interim:${s.dueAt}`,
    about: { requestId: r.id, kind: 'interim', to: 'subject' },
  });
  const recorded = await record(deps, r.id, s.dueAt, (d) => ({ ...d, interimAt: now.toISOString() }));
  await deps.audit.append(r.id, {
    actor: 'system',
    action: 'subject.interim_answered',
    details: { done: facts.done.length, pending: facts.pending.length, period: facts.period },
  });
  return recorded;
}
