import { now } from '../core/clock.ts';
import { RegisterRequestBody, registerRequest } from '../core/register.ts';
import { answerMailer, appSecret, audit, store, workflow } from '../wiring.ts';
import { route } from './http.ts';

/** POST /admin/requests: staff register a request received by letter or e-mail, or made for the subject (P4, P12). */
export const handler = route(
  { id: 'RegisterRequest', role: 'approver', body: RegisterRequestBody, idempotent: true },
  async ({ body, staff }) => ({
    status: 201,
    body: await registerRequest(
      {
        store: store(),
        audit: audit(),
        mailer: answerMailer(),
        workflow: workflow(),
        secret: await appSecret(),
        now,
      },
      body,
      staff?.id ?? '',
    ),
  }),
);
