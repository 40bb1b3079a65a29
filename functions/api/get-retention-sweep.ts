import { RunId, runChain, runPrefix } from '../core/retention-sweep.ts';
import { auditChain, sweepFiles } from '../wiring.ts';
import { route } from './http.ts';
import { ProblemError } from './problems.ts';

/**
 * GET /admin/sweeps/retention/{runId} (admin, P11): `done` with the counts once the run's summary is written,
 * `running` while its audit chain exists without one, 404 for a run nobody started. Counts only: the customer
 * numbers stay in the run's files.
 */
export const handler = route({ id: 'GetRetentionSweep', role: 'admin' }, async ({ params }) => {
  const runId = RunId.parse(params.runId);
  const text = await sweepFiles().get(`${runPrefix(runId)}summary.json`);
  if (text) return { status: 200, body: { runId, state: 'done', summary: JSON.parse(text) } };
  if ((await auditChain(runChain(runId))).length === 0) throw new ProblemError('run-not-found');
  return { status: 200, body: { runId, state: 'running' } };
});
