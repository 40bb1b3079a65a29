import { now } from '../core/clock.ts';
import { ReachedBody, recordReached } from '../core/delivery.ts';
import { RequestId } from '../core/schemas.ts';
import { audit, store } from '../wiring.ts';
import { route } from './http.ts';

/**
 * POST /admin/requests/{id}/reached with `{"means", "note"?}`: staff reached the subject another way after a mail
 * bounced or was complained about (P10); the request counts as answered again. The note stays internal.
 */
export const handler = route(
  { id: 'RecordReached', role: 'approver', body: ReachedBody, idempotent: true },
  async ({ params, staff, body }) => ({
    status: 200,
    body: await recordReached(
      { store: store(), audit: audit(), now },
      RequestId.parse(params.id),
      staff?.id ?? '',
      body,
    ),
  }),
);
