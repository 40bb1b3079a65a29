import { decide } from '../core/decisions.ts';
import { RejectBody, RequestId } from '../core/schemas.ts';
import { decisionDeps } from '../wiring.ts';
import { route } from './http.ts';

/** POST /admin/requests/{id}/reject with `{"reason"}`: the workflow tells the subject why and how to complain. */
export const handler = route(
  { id: 'RejectRequest', role: 'approver', body: RejectBody, idempotent: true },
  async ({ params, staff, body }) => ({
    status: 200,
    body: await decide(decisionDeps(), RequestId.parse(params.id), staff?.id ?? '', {
      approved: false,
      reason: body.reason,
    }),
  }),
);
