// Staff decisions (DESIGN: Approve). A decision is recorded first and then handed to the parked workflow
// task; whichever of the two writes second sees the other, so no decision is lost.
import { type Refusal, RefusedError } from './errors.ts';
import { needsApproval, rejectionRefusal } from './lifecycle.ts';
import type { AuditEntryInput, AuditLog, RequestStore, Workflow } from './ports.ts';
import type { RequestRecord } from './request.ts';
import type { RejectionReason, Status } from './schemas.ts';
import { handOverDecision } from './staff-wait.ts';

export interface DecisionDeps {
  store: RequestStore;
  audit: AuditLog;
  workflow: Workflow;
  now: () => Date;
}

/** A staff decision; a refusal for `other` carries staff's explanation, which the subject receives (Art. 12(4)). */
export type Decision =
  | { approved: true }
  | { approved: false; reason: Exclude<RejectionReason, 'other'> }
  | { approved: false; reason: 'other'; explanation: string };

/** Approves or rejects a request awaiting approval; staffId is the staff member's pseudonymous id. */
export async function decide(deps: DecisionDeps, id: string, staffId: string, decision: Decision) {
  const at = deps.now().toISOString();
  let wrongStatus: Status | undefined;
  let notAllowed: Refusal | undefined;
  // The decision and its entry are one transaction (Art. 5(2)).
  const entry = () => ({
    actor: `staff:${staffId}` as const,
    action: decision.approved ? 'request.approved' : 'request.rejected',
    // The code only: staff's explanation is told to the subject, never copied into the trail.
    details: decision.approved ? {} : { reason: decision.reason },
  });
  const updated = await deps.store.update(
    id,
    (r) => {
      wrongStatus = undefined;
      // Checked before the status: a request that can never be refused says so, whatever its state.
      notAllowed = decision.approved ? undefined : rejectionRefusal(r, decision.reason);
      if (notAllowed) return undefined;
      // A request waiting for staff to pick the person (P8) can be rejected (identity not established), not approved.
      const rejectable = !decision.approved && r.status === 'awaiting_identity_check' && needsApproval(r);
      if ((r.status !== 'awaiting_approval' && !rejectable) || r.approval) {
        wrongStatus = r.status;
        return undefined;
      }
      r.approval = { approved: decision.approved, by: staffId, at };
      if (decision.approved) {
        r.status = 'in_progress';
      } else {
        r.status = 'rejected';
        r.rejection = {
          reason: decision.reason,
          at,
          ...(decision.reason === 'other' ? { explanation: decision.explanation } : {}),
        };
      }
      return r;
    },
    entry,
  );
  if (!updated) throw new RefusedError({ reason: 'request_not_found' });
  if (notAllowed) throw new RefusedError(notAllowed);
  if (wrongStatus !== undefined) {
    throw new RefusedError({ reason: 'not_awaiting_approval', status: wrongStatus });
  }
  if (updated.approvalToken) await handOverDecision(deps.workflow, updated.approvalToken, decision.approved);
  // A parked identity check goes on to the approval step, which hands over this rejection at once.
  if (!decision.approved && updated.identityToken && !updated.identity)
    await deps.workflow.resume(updated.identityToken, { resolved: false });
  return { id, status: updated.status };
}

/**
 * Acts again on what failed in a partially completed request (DESIGN: Retry). A succeeded execution's name is
 * taken for 90 days, so the retry is a new execution named for its attempt; systems already done keep their
 * outcome, and the approval already given is not asked again.
 */
export async function retry(deps: DecisionDeps, id: string, staffId: string) {
  const updated = await changeInStatus(
    deps.store,
    id,
    'not_partially_completed',
    (r) => r.status === 'partially_completed',
    (r) => {
      r.status = 'in_progress';
      r.attempt += 1;
      r.closedAt = undefined;
      // A failed workflow is acted on again too; the flag belonged to the attempt that failed.
      r.failure = undefined;
    },
    (r) => ({ actor: `staff:${staffId}`, action: 'request.retried', details: { attempt: r.attempt } }),
  );
  await deps.workflow.start(id, updated.attempt);
  return { id, status: updated.status, attempt: updated.attempt };
}

/**
 * Applies a staff action's change to a request whose state allows it; refuses a missing one, or one in another
 * state with the status found; `entry` is written with the change (one transaction). The store may run the update again on a conflict, so each run starts clean.
 */
export async function changeInStatus(
  store: RequestStore,
  id: string,
  refusal: 'not_partially_completed' | 'not_awaiting_identity_check',
  allowed: (r: RequestRecord) => boolean,
  change: (r: RequestRecord) => void,
  entry?: (next: RequestRecord) => AuditEntryInput,
): Promise<RequestRecord> {
  let wrongStatus: Status | undefined;
  const updated = await store.update(
    id,
    (r) => {
      wrongStatus = undefined;
      if (!allowed(r)) {
        wrongStatus = r.status;
        return undefined;
      }
      change(r);
      return r;
    },
    entry,
  );
  if (!updated) throw new RefusedError({ reason: 'request_not_found' });
  if (wrongStatus !== undefined) throw new RefusedError({ reason: refusal, status: wrongStatus });
  return updated;
}
