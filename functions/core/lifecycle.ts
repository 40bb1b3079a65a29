import type { RequestRecord } from './request.ts';
import type { RequestType, Status, SystemName } from './schemas.ts';

/** Statuses from which nothing moves on by itself. */
export const FINAL_STATUSES: readonly Status[] = ['completed', 'rejected', 'expired'];

/**
 * Whether staff must approve before the systems act. An objection to direct marketing alone never does: Art. 21(3)
 * makes it absolute. An objection to profiling may be weighed (Art. 21(1)), so it does.
 */
export const needsApproval = (r: Pick<RequestRecord, 'type' | 'scope'>) =>
  !(r.type === 'objection' && (r.scope ?? []).every((s) => s === 'direct_marketing'));

/** The operation each connector performs for a request type. */
export const OPERATION_FOR: Record<RequestType, 'export' | 'erase' | 'rectify' | 'object'> = {
  access: 'export',
  portability: 'export',
  rectification: 'rectify',
  erasure: 'erase',
  objection: 'object',
};

/** True when every system has acted without failure. */
export const allSystemsDone = (r: RequestRecord) => {
  const states = Object.values(r.systems);
  return states.length > 0 && states.every((s) => s?.state === 'done');
};

/**
 * What a subject or staff member may see of a request's progress: no personal data. The subject does not see how
 * many people an ambiguous address leads to (P8): only that staff check who the request is about.
 */
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
    })),
  };
}
