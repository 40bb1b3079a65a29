// Proof of erasure (P3): after the systems acted, each is looked at again. Only records kept on a ground the
// subject is told of (restricted, with that ground and purge date), or nothing, may remain; a system whose fresh
// look finds more is marked failed, so the request closes partially completed and staff retry it like any failure.
// Pure over the recorded outcomes and the fresh look, so the retention sweep's erasures (P11) can reuse it.
import type { ConnectorResult } from './connector.ts';
import { allSystemsDone } from './lifecycle.ts';
import type { StepDeps } from './progress.ts';
import type { SystemState } from './request.ts';
import { RETENTION_GROUNDS } from './retention.ts';
import type { Outcome, Recheck, RecheckReason } from './schemas.ts';

const GROUNDS = new Set<string>(RETENTION_GROUNDS);

/**
 * Compares what a fresh look found in one system with what its outcomes say was kept: agrees when no live record
 * is left and every restricted record has a known ground, in a group (category, ground, purge date) the outcomes
 * name with at least as many records. A look that failed or found an ambiguous address proves nothing.
 */
export function compareRecheck(
  outcomes: readonly Outcome[] | undefined,
  look: Pick<ConnectorResult, 'located' | 'outcomes'>,
): Omit<Recheck, 'attempt'> {
  const located = look.located;
  if (!located || look.outcomes.some((o) => o.kind === 'failed' || o.kind === 'ambiguous'))
    return { agrees: false, live: 0, kept: 0, reasons: ['not_checked'] };
  const groups = located.kept ?? [];
  const kept = groups.reduce((n, g) => n + g.records, 0);
  const live = Math.max(0, located.records - kept);
  const told = (g: (typeof groups)[number]) =>
    (outcomes ?? []).reduce(
      (n, o) =>
        o.kind === 'retained' && o.category === g.category && o.ground === g.ground && o.until === g.until
          ? n + o.records
          : n,
      0,
    );
  const reasons = new Set<RecheckReason>();
  if (live > 0) reasons.add('live_records');
  for (const g of groups) {
    if (!g.ground || !GROUNDS.has(g.ground) || !g.until) reasons.add('kept_without_ground');
    else if (g.records > told(g)) reasons.add('kept_untold');
  }
  return reasons.size === 0
    ? { agrees: true, live, kept }
    : { agrees: false, live, kept, reasons: [...reasons] };
}

// Field by field: a stored map comes back from DynamoDB in any key order.
const same = (a: Recheck | undefined, b: Recheck) =>
  a !== undefined &&
  a.attempt === b.attempt &&
  a.agrees === b.agrees &&
  a.live === b.live &&
  a.kept === b.kept &&
  (a.reasons ?? []).join() === (b.reasons ?? []).join();

/**
 * RecordRecheck: keeps each system's fresh look on the request and audits it once (counts only); a system that
 * disagrees is marked failed. A restarted execution records the same look again and adds no second entry.
 */
export async function recordRecheck(
  deps: StepDeps,
  requestId: string,
  attempt: number,
  looks: ConnectorResult[],
) {
  let changed = false;
  const checks = new Map<string, Recheck>();
  const updated = await deps.store.update(requestId, (r) => {
    changed = false;
    for (const look of looks) {
      const prior = r.systems[look.system];
      const check: Recheck = { attempt, ...compareRecheck(prior?.outcomes, look) };
      checks.set(look.system, check);
      if (same(prior?.recheck, check)) continue;
      changed = true;
      // Only ever from done to failed: an act that failed stays failed, whatever the look finds.
      const state = check.agrees ? (prior?.state ?? 'pending') : 'failed';
      r.systems[look.system] = { ...prior, state, recheck: check };
    }
    return changed ? r : undefined;
  });
  if (!updated) throw new Error(`Request ${requestId} not found`);
  if (changed) {
    await deps.audit.append(requestId, {
      actor: 'system',
      action: 'systems.rechecked',
      details: { attempt, ...Object.fromEntries(checks) },
    });
  }
  return { allDone: allSystemsDone(updated) };
}

/**
 * The outcomes a system keeps after it acts again in a retry: where the earlier look found records left over,
 * what the first act erased still counts, added to what this act erased; the rest is this act's answer.
 */
export function outcomesAfterRetry(prior: SystemState | undefined, next: Outcome[]): Outcome[] {
  if (prior?.recheck?.agrees !== false) return next;
  const counts = new Map<string, number>();
  for (const o of [...(prior.outcomes ?? []), ...next])
    if (o.kind === 'erased') counts.set(o.category, (counts.get(o.category) ?? 0) + o.records);
  if (counts.size === 0) return next;
  const erased: Outcome[] = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, records]) => ({ kind: 'erased', records, category }));
  return [...erased, ...next.filter((o) => o.kind !== 'erased' && o.kind !== 'not_found')];
}
