import { RunId, runPrefix } from '../core/retention-sweep.ts';
import { sweepFiles } from '../wiring.ts';
import { route } from './http.ts';

/**
 * GET /admin/sweeps/retention/{runId} (admin, P11): `running` until the run's summary is written, then `done` with
 * its counts. Counts only: the customer numbers stay in the run's files.
 */
export const handler = route({ id: 'GetRetentionSweep', role: 'admin' }, async ({ params }) => {
  const runId = RunId.parse(params.runId);
  const text = await sweepFiles().get(`${runPrefix(runId)}summary.json`);
  return {
    status: 200,
    body: text ? { runId, state: 'done', summary: JSON.parse(text) } : { runId, state: 'running' },
  };
});
