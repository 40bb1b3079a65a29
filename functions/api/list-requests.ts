import { z } from 'zod';
import { now } from '../core/clock.ts';
import { attentionOf } from '../core/deadline-watch.ts';
import { RequestType, Status } from '../core/schemas.ts';
import { store } from '../wiring.ts';
import { route } from './http.ts';

export const ListQuery = z.strictObject({
  status: Status.optional(),
  type: RequestType.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

/** GET /admin/requests: pages of requests, newest first; ids, types, statuses, dates and what needs staff now. */
export const handler = route({ id: 'ListRequests', role: 'viewer' }, async ({ query }) => {
  const q = ListQuery.parse(query);
  const page = await store().list(q);
  const at = now();
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
        attention: attentionOf(r, at),
      })),
      cursor: page.cursor,
    },
  };
});
