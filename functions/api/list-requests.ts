import { now } from '../core/clock.ts';
import { listQueue, QueueQuery } from '../core/queue.ts';
import { store } from '../wiring.ts';
import { route } from './http.ts';

/**
 * GET /admin/requests: the staff queue, newest received first or open requests by due date (overdue first), filtered
 * by status, type, channel, "needs action" or one id; ids, types, statuses, dates and days left, no personal data.
 */
export const handler = route({ id: 'ListRequests', role: 'viewer' }, async ({ query }) => ({
  status: 200,
  body: await listQueue(store(), QueueQuery.parse(query), now()),
}));
