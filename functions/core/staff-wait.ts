// A workflow task parked until staff act (DESIGN: Approve; the pick of the person, P8): the task token is stored
// under the request's lock, so staff's action, whichever writes second, finds it or is found by it.
import { checkPending } from './lifecycle.ts';
import { staffMessage } from './messages/index.ts';
import type { Workflow } from './ports.ts';
import type { ApprovalDeps } from './progress.ts';
import type { RequestRecord } from './request.ts';

/** The error a rejection fails the parked approval with; the workflow catches it straight to telling the subject. */
export const REJECTED = 'RequestRejected';

/**
 * Hands staff's decision to the parked approval: an approval resumes it, a rejection fails it as REJECTED, so the
 * workflow needs no Choice state between the wait and what follows (each state entered is billed).
 */
export const handOverDecision = (workflow: Workflow, token: string, approved: boolean) =>
  approved
    ? workflow.resume(token, { approved: true })
    : workflow.fail(token, REJECTED, 'Staff rejected the request');

/** A workflow wait for staff: how the waits differ. */
interface StaffWait {
  /** the parked task's output once staff have acted, undefined while they have not */
  decided: (r: RequestRecord) => Record<string, unknown> | undefined;
  /** where the parked task's token is kept for staff's action to hand over */
  token: 'approvalToken' | 'identityToken';
  /** hands what staff did to the parked task */
  handOver: (workflow: Workflow, token: string, decided: Record<string, unknown>) => Promise<boolean>;
  /** the mail and audit action of the first ask, and of each reminder; `key` names the mail's idempotency key */
  ask: StaffNotice;
  remind: StaffNotice;
}

interface StaffNotice {
  mail: Parameters<typeof staffMessage>[0];
  key: string;
  action: string;
}

/** The two waits: the approval (progress.ts) and the pick of the person behind a shared address (identity-check.ts). */
const WAITS = {
  approval: {
    decided: (r) => (r.approval ? { approved: r.approval.approved } : undefined),
    token: 'approvalToken',
    handOver: (workflow, token, decided) => handOverDecision(workflow, token, decided.approved === true),
    ask: { mail: 'approval_needed', key: 'approval-needed', action: 'approval.requested' },
    remind: { mail: 'approval_reminder', key: 'reminder', action: 'approval.reminded' },
  },
  identity_check: {
    // A rejection while the pick or the check was awaited (identity not established) ends the wait too, parked or
    // not yet. A recorded check (P4, P12) ends it once it moved the request on: it stays when a pick is still needed.
    decided: (r) =>
      r.approval?.approved === false
        ? { resolved: r.identity !== undefined }
        : checkPending(r)
          ? undefined
          : r.identity || (r.manualCheck && r.status !== 'awaiting_identity_check')
            ? { resolved: true }
            : undefined,
    token: 'identityToken',
    handOver: (workflow, token, decided) => workflow.resume(token, decided),
    ask: { mail: 'identity_check_needed', key: 'identity-check', action: 'identity.check_requested' },
    remind: { mail: 'identity_check_reminder', key: 'identity-reminder', action: 'identity.reminded' },
  },
} satisfies Record<string, StaffWait>;

type WaitName = keyof typeof WAITS;

/** Parks a staff wait: keeps the task token for staff, or hands over what they already did. */
export async function parkForStaff(deps: ApprovalDeps, name: WaitName, requestId: string, taskToken: string) {
  const wait: StaffWait = WAITS[name];
  const updated = await deps.store.update(requestId, (r) => {
    if (wait.decided(r)) return undefined;
    r[wait.token] = taskToken;
    return r;
  });
  if (!updated) throw new Error(`Request ${requestId} not found`);
  const decided = wait.decided(updated);
  if (decided) {
    await wait.handOver(deps.workflow, taskToken, decided);
    return;
  }
  const message = staffMessage(wait.ask.mail, requestId, updated.extension?.dueAt ?? updated.dueAt);
  await deps.mailer.send({
    to: deps.staffInbox,
    ...message,
    idempotencyKey: `${requestId}:${wait.ask.key}`,
    about: 'staff',
  });
  // Asked once per attempt, however often a restarted run parks again.
  await deps.audit.append(requestId, {
    actor: 'system',
    action: wait.ask.action,
    fact: `${wait.ask.action}:${updated.attempt}`,
  });
}

/**
 * Reminds staff that a request still waits for them (the wait timed out); at most one mail an hour. Answers the
 * request as it read it, for the next wait.
 */
export async function remindStaff(deps: ApprovalDeps, name: WaitName, requestId: string) {
  const wait: StaffWait = WAITS[name];
  const r = await deps.store.get(requestId);
  if (!r) throw new Error(`Request ${requestId} not found`);
  if (wait.decided(r)) return r;
  const at = deps.now().toISOString();
  const message = staffMessage(wait.remind.mail, requestId, r.extension?.dueAt ?? r.dueAt);
  await deps.mailer.send({
    to: deps.staffInbox,
    ...message,
    idempotencyKey: `${requestId}:${wait.remind.key}:${at.slice(0, 13)}`,
    about: 'staff',
  });
  await deps.audit.append(requestId, {
    actor: 'system',
    action: wait.remind.action,
    fact: `${wait.remind.action}:${at.slice(0, 13)}`,
  });
  return r;
}
