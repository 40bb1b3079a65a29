import { decide } from '../core/decisions.ts';
import { RequestId } from '../core/schemas.ts';
import { decisionDeps } from '../wiring.ts';
import { route } from './http.ts';

/** POST /admin/requests/{id}/approve: lets the parked workflow act. */
export const handler = route(
  { id: 'ApproveRequest', role: 'approver', idempotent: true },
  async ({ params, staff }) => ({
    status: 200,
    body: await decide(decisionDeps(), RequestId.parse(params.id), staff?.id ?? '', {
      approved: true,
    }),
  }),
);
