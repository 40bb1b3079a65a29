import { now } from '../core/clock.ts';
import { newRunId, runChain, SweepRequest } from '../core/retention-sweep.ts';
import { audit, sweepRuns } from '../wiring.ts';
import { route } from './http.ts';

/**
 * POST /admin/sweeps/retention (admin, P11): starts a run of the retention sweep, a dry run (`dryRun: true`: who
 * would be erased and what purged, counted, nothing changed) or a real one. The run's chain records who asked.
 */
export const handler = route(
  { id: 'StartRetentionSweep', role: 'admin', body: SweepRequest, idempotent: true },
  async ({ body, staff }) => {
    const runId = newRunId(now(), 'staff');
    await audit().append(runChain(runId), {
      actor: `staff:${staff?.id}`,
      action: 'retention.sweep.requested',
      details: { dryRun: body.dryRun },
    });
    await sweepRuns().start(runId, body.dryRun);
    return { status: 202, body: { runId, dryRun: body.dryRun } };
  },
);
