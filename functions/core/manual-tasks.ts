// Systems without an API (P16, P17): when the workflow asks one to act, the operation becomes a task for the
// system's owner, mailed a signed link (core/manual-task-token.ts) and answered on a page without a console login.
// The workflow's task waits (.waitForTaskToken) like for any system; its token is kept on the request under the
// request's lock, so the owner's answer, whichever writes second, finds it or is found by it (as staff-wait.ts).
import type { ManualOperation, ManualSystem } from '../connectors/generic/manual/config.ts';
import { MANUAL_OPERATIONS } from '../connectors/generic/manual/config.ts';
import type { ConnectorResult } from './connector.ts';
import {
  type AnswerProblem,
  answerProblem,
  answerResult,
  lookResult,
  type ManualTask,
  type OwnerAnswer,
} from './manual-answer.ts';
import { linkExpiry, type TaskClaims, taskToken } from './manual-task-token.ts';
import { type OwnerMailKind, ownerMail } from './messages/manual-task.ts';
import type { AuditLog, Mailer, RequestStore, Workflow } from './ports.ts';
import type { RequestRecord } from './request.ts';
import type { Operation } from './schemas.ts';

export interface ManualTaskDeps {
  store: RequestStore;
  audit: AuditLog;
  mailer: Mailer;
  workflow: Workflow;
  secret: string;
  publicBaseUrl: string;
  now: () => Date;
  /** the configuration of a manual system, undefined for any other name */
  system: (name: string) => ManualSystem | undefined;
}

/** What the workflow sends the ManualTask Lambda: ids only, and the token of its parked task. */
export interface TaskCall {
  requestId: string;
  attempt: number;
  system: string;
  operation: Operation;
  taskToken: string;
}

export const taskKey = (system: string, operation: string) => `${system}:${operation}`;
const dueOf = (r: RequestRecord) => r.extension?.dueAt ?? r.dueAt;
const isManual = (op: Operation): op is ManualOperation =>
  (MANUAL_OPERATIONS as readonly string[]).includes(op);

/** The owner's link to a task. */
export async function taskLink(
  deps: Pick<ManualTaskDeps, 'secret' | 'publicBaseUrl'>,
  claims: TaskClaims,
  dueAt: string,
) {
  const token = await taskToken(deps.secret, claims, dueAt);
  return `${deps.publicBaseUrl.replace(/\/+$/, '')}/tasks/${token}`;
}

/**
 * ManualTask (.waitForTaskToken): a look or an operation the owner cannot do is answered at once; an operation is
 * kept as an open task and mailed to the owner, or, when they already answered this attempt, handed over at once.
 */
export async function openManualTask(deps: ManualTaskDeps, call: TaskCall): Promise<'answered' | 'parked'> {
  const config = deps.system(call.system);
  if (!config) throw new Error(`${call.system} is not a manual system`);
  const resume = async (result: ConnectorResult) => {
    await deps.workflow.resume(call.taskToken, result);
    return 'answered' as const;
  };
  const { operation } = call;
  if (operation === 'locate' || operation === 'recheck')
    return resume(lookResult(call.system, operation, config));
  if (!isManual(operation) || !config.operations.includes(operation))
    return resume({
      system: call.system as ConnectorResult['system'],
      operation,
      outcomes: [{ kind: 'skipped', reason: 'not_supported' }],
    });

  const key = taskKey(call.system, operation);
  const at = deps.now().toISOString();
  const updated = await deps.store.update(call.requestId, (cur) => {
    const existing = cur.manualTasks?.[key];
    const same = existing?.attempt === call.attempt ? existing : undefined;
    if (same?.state === 'done') return undefined;
    const task: ManualTask = same
      ? { ...same, taskToken: call.taskToken }
      : {
          system: call.system,
          operation,
          attempt: call.attempt,
          state: 'open',
          openedAt: at,
          reminders: 0,
          taskToken: call.taskToken,
        };
    cur.manualTasks = { ...cur.manualTasks, [key]: task };
    return cur;
  });
  if (!updated) throw new Error(`Request ${call.requestId} not found`);
  const task = updated.manualTasks?.[key] as ManualTask;
  if (task.state === 'done' && task.result) return resume(task.result);
  await mailOwner(deps, config, updated, task, 'opened');
  // Opened once per attempt, however often a restarted run parks again.
  await deps.audit.append(call.requestId, {
    actor: 'system',
    action: 'manual_task.opened',
    details: { system: call.system, operation, attempt: call.attempt },
    fact: `manual_task.opened:${key}:${call.attempt}`,
  });
  return 'parked';
}

async function mailOwner(
  deps: ManualTaskDeps,
  config: ManualSystem,
  r: RequestRecord,
  task: ManualTask,
  kind: OwnerMailKind,
) {
  const dueAt = dueOf(r);
  const url = await taskLink(
    deps,
    { requestId: r.id, system: task.system, operation: task.operation, attempt: task.attempt },
    dueAt,
  );
  const message = ownerMail(kind, config, {
    requestId: r.id,
    operation: task.operation,
    dueAt,
    expiresAt: linkExpiry(dueAt).toISOString(),
    url,
  });
  const stamp = kind === 'opened' ? 'opened' : `reminder:${task.reminders + 1}`;
  for (const to of config.owner.emails)
    await deps.mailer.send({
      to,
      ...message,
      idempotencyKey: `${r.id}:task:${taskKey(task.system, task.operation)}:${task.attempt}:${stamp}`,
      about: 'staff',
    });
}

/** A task as its link finds it: the request and the task, or why there is none to answer. */
export type FoundTask =
  | { ok: true; request: RequestRecord; task: ManualTask; config: ManualSystem }
  | { ok: false; reason: 'invalid' };

/** The task a valid link stands for; a link of an earlier attempt, or of no task the request has, finds nothing. */
export async function findTask(
  deps: Pick<ManualTaskDeps, 'store' | 'system'>,
  claims: TaskClaims,
): Promise<FoundTask> {
  const config = deps.system(claims.system);
  const request = config ? await deps.store.get(claims.requestId) : undefined;
  const task = request?.manualTasks?.[taskKey(claims.system, claims.operation)];
  if (!config || !request || !task || task.attempt !== claims.attempt)
    return { ok: false, reason: 'invalid' };
  return { ok: true, request, task, config };
}

/** The owner opened the task's page: the subject's data they need is shown, so it is a view of it (P15). */
export async function recordTaskViewed(
  deps: Pick<ManualTaskDeps, 'audit' | 'now'>,
  claims: TaskClaims,
  fields: string[],
) {
  await deps.audit.append(claims.requestId, {
    actor: `staff:owner:${claims.system}`,
    action: 'subject.viewed',
    details: { fields, system: claims.system, operation: claims.operation, via: 'task_link' },
  });
}

export type AnswerOutcome =
  | { kind: 'recorded' }
  | { kind: 'already_answered' }
  | { kind: 'invalid'; problem: AnswerProblem };

/**
 * The owner's answer: checked, recorded once on the task and handed to the parked workflow task. A second answer
 * to a done task changes nothing and resumes nothing. An extract is stored first (`store`), under the request's
 * prefix, so the package builder finds it like any connector's file.
 */
export async function answerManualTask(
  deps: ManualTaskDeps,
  claims: TaskClaims,
  answer: OwnerAnswer,
  storeExtract: (answer: Extract<OwnerAnswer, { kind: 'extract' }>) => Promise<void>,
): Promise<AnswerOutcome> {
  const found = await findTask(deps, claims);
  if (!found.ok) throw new Error('answerManualTask needs a task findTask found');
  if (found.task.state === 'done') return { kind: 'already_answered' };
  const problem = answerProblem(found.config, claims.operation, answer);
  if (problem) return { kind: 'invalid', problem };
  if (answer.kind === 'extract') await storeExtract(answer);
  const result = answerResult(found.task, found.config, found.request, answer);
  const key = taskKey(claims.system, claims.operation);
  const at = deps.now().toISOString();
  let first = false;
  const updated = await deps.store.update(claims.requestId, (cur) => {
    const task = cur.manualTasks?.[key];
    if (!task || task.attempt !== claims.attempt || task.state === 'done') return undefined;
    first = true;
    cur.manualTasks = { ...cur.manualTasks, [key]: { ...task, state: 'done', answeredAt: at, result } };
    return cur;
  });
  if (!first || !updated) return { kind: 'already_answered' };
  await deps.audit.append(claims.requestId, {
    actor: `staff:owner:${claims.system}`,
    action: 'manual_task.answered',
    details: {
      system: claims.system,
      operation: claims.operation,
      attempt: claims.attempt,
      outcomes: result.outcomes.map((o) => ('records' in o ? `${o.kind}:${o.records}` : o.kind)),
    },
    fact: `manual_task.answered:${key}:${claims.attempt}`,
  });
  const token = updated.manualTasks?.[key]?.taskToken;
  // A token no longer waiting (timed out, or a restart replaced it) is fine: the next park finds the answer.
  if (token) await deps.workflow.resume(token, result);
  return { kind: 'recorded' };
}

/** A reminder is due when `reminderDays` passed since the task was opened or last reminded. */
export const reminderDue = (task: ManualTask, config: ManualSystem, now: Date) =>
  task.state === 'open' &&
  Date.parse(task.remindedAt ?? task.openedAt) + config.reminderDays * 86_400_000 <= now.getTime();

/** Reminds the owners of a request's open tasks that are due for it; answers how many tasks were reminded. */
export async function remindOwners(deps: ManualTaskDeps, listed: RequestRecord): Promise<number> {
  const now = deps.now();
  const due = (r: RequestRecord) =>
    Object.values(r.manualTasks ?? {}).filter((t) => {
      const config = deps.system(t.system);
      return config !== undefined && t.attempt === r.attempt && reminderDue(t, config, now);
    });
  if (due(listed).length === 0) return 0;
  const r = await deps.store.get(listed.id);
  if (r?.status !== 'in_progress') return 0;
  let reminded = 0;
  for (const task of due(r)) {
    const config = deps.system(task.system) as ManualSystem;
    await mailOwner(deps, config, r, task, 'reminder');
    const key = taskKey(task.system, task.operation);
    await deps.store.update(r.id, (cur) => {
      const t = cur.manualTasks?.[key];
      if (t?.state !== 'open') return undefined;
      cur.manualTasks = {
        ...cur.manualTasks,
        [key]: { ...t, remindedAt: now.toISOString(), reminders: t.reminders + 1 },
      };
      return cur;
    });
    await deps.audit.append(r.id, {
      actor: 'system',
      action: 'manual_task.reminded',
      details: { system: task.system, operation: task.operation, reminder: task.reminders + 1 },
      fact: `manual_task.reminded:${key}:${task.attempt}:${task.reminders + 1}`,
    });
    reminded += 1;
  }
  return reminded;
}
