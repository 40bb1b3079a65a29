// No silent failure (Art. 12(3)–(4)): a request whose workflow ended badly is flagged for staff at once. Where
// systems may have acted in part it is partially completed, which staff can retry; the deadline sweep then gives
// the subject an interim answer if it is still not done as the due date nears.
import { workflowFailed } from './deadline-watch.ts';
import { FINAL_STATUSES } from './lifecycle.ts';
import type { StepDeps } from './progress.ts';

/** Flags the request of a failed, timed-out or aborted execution; answers whether this call flagged it. */
export async function recordWorkflowFailure(
  deps: StepDeps,
  requestId: string,
  attempt: number,
  executionStatus: string,
) {
  const at = deps.now().toISOString();
  let flagged = false;
  const updated = await deps.store.update(requestId, (r) => {
    flagged = false;
    // An older attempt's end, a request closed for good, or one already flagged: nothing to add.
    if (r.attempt !== attempt || FINAL_STATUSES.includes(r.status) || workflowFailed(r)) return undefined;
    r.failure = { reason: 'workflow_failed', at, attempt };
    if (r.status === 'in_progress') {
      r.status = 'partially_completed';
      r.closedAt = at;
      r.approvalToken = undefined;
      r.identityToken = undefined;
    }
    flagged = true;
    return r;
  });
  if (!updated) return { flagged: false };
  if (flagged) {
    await deps.audit.append(requestId, {
      actor: 'system',
      action: 'workflow.failed',
      details: { attempt, execution: executionStatus, status: updated.status },
    });
  }
  return { flagged, status: updated.status };
}
