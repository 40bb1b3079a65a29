import { retry } from '../core/decisions.ts';
import { RequestId } from '../core/schemas.ts';
import { decisionDeps } from '../wiring.ts';
import { route } from './http.ts';

/** POST /admin/requests/{id}/retry: acts again on the systems that failed (status partially_completed). */
export const handler = route(
  { id: 'RetryRequest', role: 'approver', idempotent: true },
  async ({ params, staff }) => ({
    status: 202,
    body: await retry(decisionDeps(), RequestId.parse(params.id), staff?.id ?? ''),
  }),
);
