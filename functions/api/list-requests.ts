import { z } from 'zod';
import { RequestType, Status } from '../core/schemas.ts';
import { store } from '../wiring.ts';
import { route } from './http.ts';

export const ListQuery = z.strictObject({
  status: Status.optional(),
  type: RequestType.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

/** GET /admin/requests: pages of requests, newest first; ids, types, statuses and dates only. */
export const handler = route({ id: 'ListRequests', role: 'viewer' }, async ({ query }) => {
  const q = ListQuery.parse(query);
  const page = await store().list(q);
  return {
    status: 200,
    body: {
      items: page.items.map((r) => ({
        id: r.id,
        type: r.type,
        status: r.status,
        channel: r.channel,
        receivedAt: r.receivedAt,
        dueAt: r.extension?.dueAt ?? r.dueAt,
      })),
      cursor: page.cursor,
    },
  };
});
