import type { Refusal } from './errors.ts';
import type { RequestRecord } from './request.ts';
import { RejectionReason, type RequestType, type Status, type SystemName } from './schemas.ts';

/** Statuses from which nothing moves on by itself. */
export const FINAL_STATUSES: readonly Status[] = ['completed', 'rejected', 'expired'];

type Scoped = Pick<RequestRecord, 'type' | 'scope'>;

/** An objection to processing on our legitimate interest: the one objection staff weigh (Art. 21(1)). */
const weighedObjection = (r: Scoped) =>
  r.type === 'objection' && (r.scope ?? []).includes('legitimate_interest');

/**
 * Whether staff must approve before the systems act. An objection to direct marketing (with the profiling for it)
 * never does: Art. 21(3) makes it absolute; nor does withdrawing a consent, profiling's basis here (Art. 7(3)).
 * Only an objection to processing on legitimate interest is weighed (Art. 21(1)).
 */
export const needsApproval = (r: Scoped) => r.type !== 'objection' || weighedObjection(r);

/**
 * Why staff may not refuse this request with this reason, if they may not: an objection or withdrawal that needs no
 * approval cannot be refused at all; an Art. 21(1) objection only for compelling legitimate grounds, and that
 * reason refuses nothing else.
 */
export function rejectionRefusal(r: Scoped, reason: RejectionReason): Refusal | undefined {
  if (!needsApproval(r)) return { reason: 'not_refusable' };
  const weighed = weighedObjection(r);
  if (weighed === (reason === 'compelling_legitimate_grounds')) return undefined;
  const allowed: RejectionReason[] = weighed
    ? ['compelling_legitimate_grounds']
    : RejectionReason.options.filter((o) => o !== 'compelling_legitimate_grounds');
  return { reason: 'rejection_reason_not_allowed', rejection: reason, allowed };
}

/** Whether staff still have to record how they checked identity or authority (P4 letters, P12; core/authority.ts). */
export const checkPending = (r: Pick<RequestRecord, 'manualCheck'>) =>
  r.manualCheck !== undefined && !r.manualCheck.checkedAt;

/** The operation each connector performs for a request type. */
export const OPERATION_FOR: Record<RequestType, 'export' | 'erase' | 'rectify' | 'object'> = {
  access: 'export',
  portability: 'export',
  rectification: 'rectify',
  erasure: 'erase',
  objection: 'object',
};

/**
 * True when every system has acted without failure; for an erasure, also when this attempt's fresh look found
 * only what is kept on a ground, or nothing (P3: never report an erasure done that a second look contradicts).
 */
export const allSystemsDone = (r: RequestRecord) => {
  const states = Object.values(r.systems);
  const proven = (s: RequestRecord['systems'][SystemName]) =>
    r.type !== 'erasure' || (s?.recheck?.agrees === true && s.recheck.attempt === r.attempt);
  return states.length > 0 && states.every((s) => s?.state === 'done' && proven(s));
};

/**
 * What a subject or staff member may see of a request's progress: no personal data. The subject does not see how
 * many people an ambiguous address leads to (P8): only that staff check who the request is about.
 */
/** Whether a system without an API waits for its owner's answer to this attempt's task (P17). */
const waitsOnOwner = (r: RequestRecord, system: string) =>
  Object.values(r.manualTasks ?? {}).some(
    (t) => t.system === system && t.attempt === r.attempt && t.state === 'open',
  );

export function progressView(r: RequestRecord, { forSubject = false } = {}) {
  const hidden = (s: RequestRecord['systems'][SystemName]) =>
    forSubject && (s?.outcomes ?? []).some((o) => o.kind === 'ambiguous');
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    receivedAt: r.receivedAt,
    dueAt: r.extension?.dueAt ?? r.dueAt,
    extended: r.extension ? { reason: r.extension.reason, dueAt: r.extension.dueAt } : undefined,
    systems: Object.entries(r.systems).map(([system, s]) => ({
      system,
      state: s?.state ?? 'pending',
      located: s?.located && !hidden(s) ? { found: s.located.found, records: s.located.records } : undefined,
      outcomes: hidden(s) ? undefined : s?.outcomes,
      recheck: s?.recheck,
      ...(waitsOnOwner(r, system) ? { waiting: 'owner' as const } : {}),
    })),
  };
}
