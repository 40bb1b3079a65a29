// The legal retention purge (P3, P11), a step of the daily sweep: in every system, restricted records whose
// retention ended (invoices on 31 December of invoice year + 10; claims and traffic data per the register) are
// removed, an open claim re-checked first. Each subject's purge is an entry on their pseudonymous audit chain;
// the call's counts go to a file for the summary. A dry run counts and changes nothing.
import { randomBytes } from 'node:crypto';
import type { OperationContext } from './connector.ts';
import { purgePrefix, runChain, type SweepDeps, type SweepInput } from './retention-sweep.ts';

/** What one purge call did, over every system. */
export interface PurgeCounts {
  purged: number;
  deferred: number;
  /** records removed (or due, in a dry run), by `system|category|ground` */
  byGround: Record<string, number>;
  /** more due records remain: call again */
  more: boolean;
}

export interface PurgeDeps extends SweepDeps {
  /** whether there is time for another round (the Lambda's remaining time) */
  timeLeft?: () => boolean;
}

/** Purges, system by system, up to `limit` records per round while time is left. */
export async function purgeRestricted(deps: PurgeDeps, input: SweepInput, limit = 500): Promise<PurgeCounts> {
  const ctx: OperationContext = { requestId: input.runId, now: deps.now() };
  const counts: PurgeCounts = { purged: 0, deferred: 0, byGround: {}, more: false };
  for (const connector of deps.connectors) {
    for (;;) {
      const result = await connector.purge(ctx, { limit, dryRun: input.dryRun });
      counts.deferred += result.deferred;
      for (const p of result.purged) {
        counts.purged += p.records;
        const id = `${connector.system}|${p.category}|${p.ground}`;
        counts.byGround[id] = (counts.byGround[id] ?? 0) + p.records;
        if (input.dryRun) continue;
        await deps.audit.append(p.subjectRef, {
          actor: 'system',
          action: 'retention.purged',
          details: {
            runId: input.runId,
            system: connector.system,
            category: p.category,
            ground: p.ground,
            records: p.records,
          },
        });
      }
      if (!result.more) break;
      if (deps.timeLeft && !deps.timeLeft()) {
        counts.more = true;
        break;
      }
    }
    if (counts.more) break;
  }
  const name = `${ctx.now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}.json`;
  await deps.files.put(`${purgePrefix(input.runId)}${name}`, JSON.stringify(counts));
  if (!counts.more) {
    await deps.audit.append(runChain(input.runId), {
      actor: 'system',
      action: 'retention.purge.done',
      details: { dryRun: input.dryRun },
    });
  }
  return counts;
}
