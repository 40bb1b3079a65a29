import { verifyRequest } from '../core/intake.ts';
import { RequestId, VerifyBody } from '../core/schemas.ts';
import { intakeDeps } from '../wiring.ts';
import { route } from './http.ts';

/** POST /requests/{id}/verify: the right code starts the workflow and returns the status token. */
export const handler = route(
  { id: 'VerifyRequest', body: VerifyBody, idempotent: true },
  async ({ body, params, sourceIp }) => ({
    status: 200,
    body: await verifyRequest(await intakeDeps(), RequestId.parse(params.id), body.code, {
      confirmTransfer: body.confirmTransfer,
      sourceIp,
    }),
  }),
);
