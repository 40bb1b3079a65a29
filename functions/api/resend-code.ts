import { resendCode } from '../core/resend-code.ts';
import { RequestId } from '../core/schemas.ts';
import { intakeDeps } from '../wiring.ts';
import { route } from './http.ts';

/** POST /requests/{id}/resend: a new code, within the rate limits. */
export const handler = route({ id: 'ResendCode', idempotent: true }, async ({ params, sourceIp }) => ({
  status: 202,
  body: await resendCode(await intakeDeps(), RequestId.parse(params.id), sourceIp),
}));
