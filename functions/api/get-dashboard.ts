import { now } from '../core/clock.ts';
import { dashboard } from '../core/dashboard.ts';
import { completedRequests, openRequests } from '../wiring.ts';
import { route } from './http.ts';

/**
 * GET /admin/dashboard (viewer): open requests by status, due this week, overdue (the deadline sweep's own tally),
 * days to complete per type, completions per ISO week against their due dates, and failing systems. Counts only.
 */
export const handler = route({ id: 'GetDashboard', role: 'viewer' }, async () => ({
  status: 200,
  body: await dashboard({ open: openRequests(), completed: completedRequests(), now }),
}));
