import { now } from '../core/clock.ts';
import { decide } from '../core/decisions.ts';
import { RequestId } from '../core/schemas.ts';
import { audit, store, workflow } from '../wiring.ts';
import { route } from './http.ts';

/** POST /admin/requests/{id}/approve: lets the parked workflow act. */
export const handler = route(
  { id: 'ApproveRequest', role: 'approver', idempotent: true },
  async ({ params, staff }) => ({
    status: 200,
    body: await decide(
      { store: store(), audit: audit(), workflow: workflow(), now },
      RequestId.parse(params.id),
      staff?.id ?? '',
      {
        approved: true,
      },
    ),
  }),
);
