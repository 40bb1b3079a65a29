import { now } from '../core/clock.ts';
import { ENV, env } from '../core/config.ts';
import { requestStatus } from '../core/intake.ts';
import { RequestId } from '../core/schemas.ts';
import { appSecret, store } from '../wiring.ts';
import { route } from './http.ts';

/**
 * GET /requests/{id} with `Authorization: Bearer <statusToken>`: progress, no personal data; once the outcome mail
 * went out, the same download links it carries, until they expire (P1, P7).
 */
export const handler = route({ id: 'GetRequestStatus' }, async ({ params, headers }) => {
  const token = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  return {
    status: 200,
    body: await requestStatus(
      { store: store(), secret: await appSecret(), now, publicBaseUrl: env(ENV.publicBaseUrl) },
      RequestId.parse(params.id),
      token,
    ),
  };
});
