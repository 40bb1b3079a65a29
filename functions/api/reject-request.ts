import { now } from '../core/clock.ts';
import { decide } from '../core/decisions.ts';
import { RejectBody, RequestId } from '../core/schemas.ts';
import { audit, store, workflow } from '../wiring.ts';
import { route } from './http.ts';

/** POST /admin/requests/{id}/reject with `{"reason"}`: the workflow tells the subject why and how to complain. */
export const handler = route(
  { id: 'RejectRequest', role: 'approver', body: RejectBody, idempotent: true },
  async ({ params, staff, body }) => ({
    status: 200,
    body: await decide(
      { store: store(), audit: audit(), workflow: workflow(), now },
      RequestId.parse(params.id),
      staff?.id ?? '',
      {
        approved: false,
        reason: body.reason,
      },
    ),
  }),
);
