import { now } from '../core/clock.ts';
import { ExtendBody, extendRequest } from '../core/extension.ts';
import { RequestId } from '../core/schemas.ts';
import { answerMailer, audit, store } from '../wiring.ts';
import { route } from './http.ts';

/**
 * POST /admin/requests/{id}/extend with `{"reason", "note"}` and optionally `{"dueDate"}`: the period is extended
 * once, before the first due date, to at most receipt + three months, and the subject is told why (P9).
 */
export const handler = route(
  { id: 'ExtendRequest', role: 'approver', body: ExtendBody, idempotent: true },
  async ({ params, staff, body }) => ({
    status: 200,
    body: await extendRequest(
      { store: store(), audit: audit(), mailer: answerMailer(), now },
      RequestId.parse(params.id),
      staff?.id ?? '',
      body,
    ),
  }),
);
