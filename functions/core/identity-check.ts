// Picking the person behind an address several people share (P8; DESIGN: awaiting_identity_check). Nothing is
// disclosed, exported or erased for anyone until staff pick one customer; the pick is recorded first and then
// handed to the parked workflow task, which stores its token under the same lock, so no pick is lost.

import { changeInStatus, type DecisionDeps } from './decisions.ts';
import { checkPending, needsApproval } from './lifecycle.ts';
import type { ApprovalDeps, StepDeps } from './progress.ts';
import type { RequestRecord } from './request.ts';
import { parkForStaff, remindStaff } from './staff-wait.ts';

/** Whether a recorded locate leaves the request waiting for staff to pick the person. */
export const awaitsIdentityCheck = (r: RequestRecord) =>
  !r.identity &&
  Object.values(r.systems).some((s) => (s?.outcomes ?? []).some((o) => o.kind === 'ambiguous'));

/**
 * After a locate: parks the request in `awaiting_identity_check` when an address is ambiguous, when the person
 * staff picked was found in no system (a wrong pick acts on nobody and is asked again), or while staff have not
 * recorded how they checked a letter's writer or a representative's authority (P4, P12). Answers whether to wait.
 */
export async function checkIdentity(deps: StepDeps, requestId: string): Promise<boolean> {
  let unmatched = false;
  const updated = await deps.store.update(requestId, (r) => {
    unmatched = false;
    if (r.closedAt || r.status === 'rejected') return undefined;
    if (r.identity && !Object.values(r.systems).some((s) => s?.located?.found)) {
      unmatched = true;
      r.identity = undefined;
    }
    if (!unmatched && !awaitsIdentityCheck(r) && !checkPending(r)) return undefined;
    r.status = 'awaiting_identity_check';
    return r;
  });
  if (!updated) throw new Error(`Request ${requestId} not found`);
  // A rejected or closed request goes on to tell and close, whatever its systems answered.
  const open = !updated.closedAt && updated.status !== 'rejected';
  const waits = open && (unmatched || awaitsIdentityCheck(updated) || checkPending(updated));
  if (waits) {
    await deps.audit.append(requestId, {
      actor: 'system',
      action: unmatched ? 'identity.unmatched' : 'identity.check_needed',
      details: {
        ...Object.fromEntries(
          Object.entries(updated.systems).flatMap(([system, s]) => {
            const o = s?.outcomes?.find((x) => x.kind === 'ambiguous');
            return o && o.kind === 'ambiguous' ? [[system, { customers: o.customers }]] : [];
          }),
        ),
        ...(checkPending(updated) ? { check: updated.manualCheck?.of } : {}),
      },
    });
  }
  return waits;
}

/** Parks the identity check: keeps the task token for staff, or hands over a pick already made. */
export const awaitIdentityCheck = (deps: ApprovalDeps, requestId: string, taskToken: string) =>
  parkForStaff(deps, 'identity_check', requestId, taskToken);

/** Reminds staff that a request still waits for them to pick the person (the wait timed out). */
export async function remindIdentityCheck(deps: ApprovalDeps, requestId: string): Promise<void> {
  // The request read stays here: a task's answer carries no personal data.
  await remindStaff(deps, 'identity_check', requestId);
}

export interface ResolveDeps extends DecisionDeps {
  /** keyed hash of the picked customer number: the audit trail holds pseudonymous ids only (P15) */
  customerRef: (customerNumber: string) => string;
}

/** Staff pick the one customer a request is about; staffId is the staff member's pseudonymous id. */
export async function resolveIdentity(
  deps: ResolveDeps,
  id: string,
  staffId: string,
  customerNumber: string,
) {
  const at = deps.now().toISOString();
  const updated = await changeInStatus(
    deps.store,
    id,
    'not_awaiting_identity_check',
    (r) => r.status === 'awaiting_identity_check' && !r.identity,
    (r) => {
      r.identity = { customerNumber, by: staffId, at };
      // A letter's writer or a representative still to be checked keeps the request waiting (P4, P12).
      if (!checkPending(r)) r.status = needsApproval(r) && !r.approval ? 'awaiting_approval' : 'in_progress';
    },
  );
  await deps.audit.append(id, {
    actor: `staff:${staffId}`,
    action: 'identity.resolved',
    details: { customerRef: deps.customerRef(customerNumber) },
  });
  if (updated.identityToken && !checkPending(updated))
    await deps.workflow.resume(updated.identityToken, { resolved: true });
  return { id, status: updated.status };
}
