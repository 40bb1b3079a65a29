// The workflow's own steps (DESIGN: Locate, Approve, Execute, Tell, Close). Each reads the request's recorded
// progress and is safe to run again, so an execution restarted from the top converges to the same result.
import { factOf } from './audit.ts';
import { RETENTION } from './config.ts';
import type { ConnectorResult } from './connector.ts';
import { backupsAgeOutOn } from './erasure-ledger.ts';
import { checkIdentity } from './identity-check.ts';
import { allSystemsDone, needsApproval, OPERATION_FOR } from './lifecycle.ts';
import { type Message, rejectionMessage, resultMessage } from './messages/index.ts';
import { type NoticeStore, noticesForRequest } from './notifications.ts';
import type { AuditLog, Mailer, RequestStore, Workflow } from './ports.ts';
import { outcomesAfterRetry } from './recheck.ts';
import { noticeStanding } from './recipients-reached.ts';
import type { RequestRecord } from './request.ts';
import type { Language, Outcome, RequestType, SystemName } from './schemas.ts';
import { parkForStaff, remindStaff } from './staff-wait.ts';

export interface StepDeps {
  store: RequestStore;
  audit: AuditLog;
  now: () => Date;
}

const DAY = 86_400;
/** Staff are reminded this long before the due date, and at least weekly before that. */
export const REMIND_BEFORE_DUE_SECONDS = 3 * DAY;
export const MAX_WAIT_SECONDS = 7 * DAY;

async function load(store: RequestStore, id: string): Promise<RequestRecord> {
  const r = await store.get(id);
  // A workflow for a request that does not exist is a fault of ours, not data: fail loudly.
  if (!r) throw new Error(`Request ${id} not found`);
  return r;
}

/** First step: what the execution must do, or that the request is already closed. */
export async function prepare(deps: StepDeps, requestId: string, attempt: number) {
  const r = await load(deps.store, requestId);
  // Only Close and a failed verification set closedAt; a staff retry (a later attempt) opens the request again.
  const closed = r.closedAt !== undefined && r.attempt >= attempt;
  if (!closed) {
    await deps.audit.append(requestId, {
      actor: 'system',
      action: 'workflow.started',
      details: { attempt },
      fact: `workflow.started:${attempt}`,
    });
  }
  return {
    requestId,
    attempt,
    type: r.type,
    operation: OPERATION_FOR[r.type],
    needsApproval: needsApproval(r),
    closed,
  };
}

/** Records what each system answered (locate or act); allDone is false while any system failed. */
export async function recordResults(deps: StepDeps, requestId: string, results: ConnectorResult[]) {
  const updated = await deps.store.update(requestId, (r) => {
    for (const res of results) {
      // An ambiguous address (P8) acted for nobody: never done, and kept as the reason the request waits.
      const ambiguous = res.outcomes.some((o) => o.kind === 'ambiguous');
      const failed = ambiguous || res.outcomes.some((o) => o.kind === 'failed');
      const prior = r.systems[res.system];
      // A system that already acted keeps its outcome: a retry or a restarted run acts only on what failed.
      if (prior?.state === 'done') continue;
      // A locate for a picked person is never ambiguous: this one began before the pick (a restarted run) and is stale.
      if (res.operation === 'locate' && ambiguous && r.identity) continue;
      if (res.operation === 'locate') {
        if (r.languageChosen === false && res.located?.language) r.language = res.located.language;
        const wasAmbiguous = prior?.outcomes?.some((o) => o.kind === 'ambiguous');
        r.systems[res.system] = {
          state: failed && !ambiguous ? 'failed' : (prior?.state ?? 'pending'),
          located: res.located ?? prior?.located,
          outcomes: failed ? res.outcomes : wasAmbiguous ? undefined : prior?.outcomes,
        };
      } else {
        const outcomes = outcomesAfterRetry(prior, res.outcomes);
        r.systems[res.system] = { ...prior, state: failed ? 'failed' : 'done', outcomes };
      }
    }
    return r;
  });
  if (!updated) throw new Error(`Request ${requestId} not found`);
  const operation = results[0]?.operation ?? 'none';
  const action = operation === 'locate' ? 'systems.located' : 'systems.acted';
  const details = Object.fromEntries(
    results.map((res) => [
      res.system,
      res.located
        ? { found: res.located.found, records: res.located.records }
        : res.outcomes.map((o) => o.kind),
    ]),
  );
  // A restarted run that finds the same answers records them once.
  await deps.audit.append(requestId, {
    actor: 'system',
    action,
    details,
    fact: factOf(action, updated.attempt, details),
  });
  // After a locate, an address that leads to several people waits for staff to pick the person (P8).
  const identityCheck = operation === 'locate' ? await checkIdentity(deps, requestId) : false;
  // After a locate, how long the approval waits before staff are reminded (AwaitApproval's timeout).
  const approval =
    operation === 'locate' ? { approval: { waitSeconds: waitSecondsOf(updated, deps.now()) } } : {};
  return { allDone: allSystemsDone(updated), identityCheck, ...approval };
}

/** Seconds to wait for a decision before reminding staff: up to a week, and ending before the due date. */
export function waitSecondsOf(r: RequestRecord, now: Date): number {
  const due = Date.parse(r.extension?.dueAt ?? r.dueAt);
  const untilReminder = Math.floor((due - now.getTime()) / 1000) - REMIND_BEFORE_DUE_SECONDS;
  const untilDue = Math.floor((due - now.getTime()) / 1000);
  // Before the reminder point wait up to it; after it, wait until the due date; past due, remind daily.
  const wait = untilReminder > 0 ? untilReminder : untilDue > 0 ? untilDue : DAY;
  return Math.max(60, Math.min(wait, MAX_WAIT_SECONDS));
}

/** The wait of a staff step (the identity check, the approval), read from the request as it is now. */
export async function approvalWindow(deps: Pick<StepDeps, 'store' | 'now'>, requestId: string) {
  return { waitSeconds: waitSecondsOf(await load(deps.store, requestId), deps.now()) };
}

export interface ApprovalDeps extends StepDeps {
  workflow: Workflow;
  mailer: Mailer;
  staffInbox: string;
}

/** Parks the approval: keeps the task token for the decision, or hands over a decision already made. */
export const awaitApproval = (deps: ApprovalDeps, requestId: string, taskToken: string) =>
  parkForStaff(deps, 'approval', requestId, taskToken);

/** Reminds staff that a request still waits for a decision (the approval wait timed out); answers the next wait. */
export async function remindApprovers(deps: ApprovalDeps, requestId: string) {
  const r = await remindStaff(deps, 'approval', requestId);
  return { waitSeconds: waitSecondsOf(r, deps.now()) };
}

/** One e-mail of an outcome: to the subject, or to an organisation they named (Art. 20(2)). */
export interface OutcomeMail {
  to: string;
  message: Message;
  /** distinguishes several mails of one outcome in their idempotency keys */
  key: string;
}

/** Writes the outcome mails of one request type, told at `now`; erasure's is built in. */
export type OutcomeWriter = (r: RequestRecord, now?: Date) => OutcomeMail[] | Promise<OutcomeMail[]>;

export interface TellDeps extends StepDeps {
  mailer: Mailer;
  writers?: Partial<Record<RequestType, OutcomeWriter>>;
  /** the request's notices as they stand now; without it no recipient is said to be told */
  notices?: Pick<NoticeStore, 'list'>;
}

/** Erasure, rectification and objection outcomes: what each system did, in the subject's language. */
const resultOutcome =
  ({ notices, now }: TellDeps): OutcomeWriter =>
  async (r) => [
    {
      // A rectified address was confirmed with its own code; the answer goes where the subject now reads mail.
      to: r.changes?.email ?? r.email,
      key: 'subject',
      message: resultMessage(
        r.language,
        r.type as 'erasure' | 'rectification' | 'objection',
        Object.entries(r.systems).map(([system, s]) => ({
          system: system as SystemName,
          outcomes: (s?.outcomes ?? []) as Outcome[],
        })),
        await recipientsTold(r, notices, now()),
        // Backups taken before the erasure hold the data until they age out (P3).
        { until: backupsAgeOutOn(now()), days: RETENTION.backupDays },
      ),
    },
  ];

/** Who was told of this request and who is still being told, as the notice store has it now (Art. 19, P13). */
async function recipientsTold(r: RequestRecord, notices: TellDeps['notices'], at: Date) {
  const planned = noticesForRequest(r, at).map((n) => n.recipientId);
  const records = notices ? await notices.list({ kind: 'request', id: r.id }) : [];
  const { told, pending } = noticeStanding(planned, records);
  return { told: told.map((x) => x.name), pending: pending.map((x) => x.name) };
}

const BUILT_IN: Partial<Record<RequestType, (deps: TellDeps) => OutcomeWriter>> = {
  erasure: resultOutcome,
  rectification: resultOutcome,
  objection: resultOutcome,
};

/** The form's language or the one on file; undefined when neither is known, so a refusal speaks all three (P18). */
export const knownLanguage = (r: RequestRecord): Language | undefined =>
  r.languageChosen !== false || Object.values(r.systems).some((s) => s?.located?.language)
    ? r.language
    : undefined;

/** E-mails the outcome in the subject's language; sent at least once, keyed so repeats can be dropped. */
export async function tellSubject(deps: TellDeps, requestId: string) {
  const r = await load(deps.store, requestId);
  if (r.toldAt) return { told: false };
  let mails: OutcomeMail[];
  if (r.status === 'rejected') {
    const { reason = 'other', explanation } = r.rejection ?? {};
    const message = rejectionMessage(knownLanguage(r), r.type, reason, explanation);
    mails = [{ to: r.email, key: 'subject', message }];
  } else if (allSystemsDone(r)) {
    const writer = deps.writers?.[r.type] ?? BUILT_IN[r.type]?.(deps);
    if (!writer) throw new Error(`No outcome message for ${r.type} requests`);
    mails = await writer(r, deps.now());
  } else {
    // Never tell a subject a request is done while a system still holds what should be gone.
    return { told: false };
  }
  for (const mail of mails) {
    await deps.mailer.send({
      to: mail.to,
      ...mail.message,
      idempotencyKey: `${requestId}:told:${r.attempt}:${mail.key}`,
      about: {
        requestId,
        kind: r.status === 'rejected' ? 'refusal' : 'outcome',
        to: mail.key === 'recipient' ? 'recipient' : 'subject',
      },
    });
  }
  await deps.store.update(requestId, (cur) => ({ ...cur, toldAt: deps.now().toISOString() }));
  await deps.audit.append(requestId, {
    actor: 'system',
    action: 'subject.told',
    details: { status: r.status, mails: mails.map((m) => m.key) },
  });
  return { told: true };
}

/** Closes the request: completed only when every system is done and the subject was told. */
export async function close(deps: StepDeps, requestId: string) {
  const at = deps.now().toISOString();
  // The final status and its entry are one transaction: a run resumed after a crash never finds one without the other.
  const closedEntry = (r: RequestRecord) => ({
    actor: 'system' as const,
    action: 'request.closed',
    details: { status: r.status },
  });
  const updated = await deps.store.update(
    requestId,
    (r) => {
      if (r.closedAt && r.status !== 'in_progress') return undefined;
      if (r.status !== 'rejected')
        r.status = allSystemsDone(r) && r.toldAt ? 'completed' : 'partially_completed';
      r.closedAt = at;
      r.approvalToken = undefined;
      r.identityToken = undefined;
      // A completed erasure keeps no address of the subject: the pseudonymous subjectRef is enough as evidence.
      if (r.type === 'erasure' && r.status === 'completed') {
        r.email = '';
        r.postalAddress = undefined;
      }
      // New values were needed only to apply them; the outcomes keep the field names.
      if (r.status === 'completed') r.changes = undefined;
      return r;
    },
    closedEntry,
  );
  if (!updated) throw new Error(`Request ${requestId} not found`);
  return { requestId, status: updated.status };
}
