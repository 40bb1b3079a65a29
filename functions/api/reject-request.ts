import { decide } from '../core/decisions.ts';
import { RejectBody, RequestId } from '../core/schemas.ts';
import { decisionDeps } from '../wiring.ts';
import { route } from './http.ts';

/**
 * POST /admin/requests/{id}/reject with `{"reason"}`, and `{"explanation"}` for `other`: the workflow tells the
 * subject why (the code's own explanation, or staff's), how to complain and that they may go to court.
 */
export const handler = route(
  { id: 'RejectRequest', role: 'approver', body: RejectBody, idempotent: true },
  async ({ params, staff, body }) => ({
    status: 200,
    body: await decide(
      decisionDeps(),
      RequestId.parse(params.id),
      staff?.id ?? '',
      body.reason === 'other'
        ? { approved: false, reason: 'other', explanation: body.explanation }
        : { approved: false, reason: body.reason },
    ),
  }),
);
