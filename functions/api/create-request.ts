import { fileRequest } from '../core/intake.ts';
import { CreateRequestBody } from '../core/request-body.ts';
import { intakeDeps } from '../wiring.ts';
import { route } from './http.ts';

/** POST /requests: files a request and e-mails a one-time code (P4, P8). */
export const handler = route(
  { id: 'CreateRequest', body: CreateRequestBody, idempotent: true },
  async ({ body, sourceIp }) => ({
    status: 202,
    body: await fileRequest(await intakeDeps(), body, sourceIp),
  }),
);
