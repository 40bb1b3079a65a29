// The OpenAPI description of the sent-messages log and of bounces (P10): the detail's fields and the reached route.
import * as z from 'zod';
import { REACH_MEANS, ReachedBody } from '../core/delivery.ts';
import { Status } from '../core/schemas.ts';
import { DELIVERY_STATES, MESSAGE_KINDS, MESSAGE_ROLES } from '../core/sent-messages.ts';
import { idempotencyKey, json, problem, type RouteSpec } from './openapi-common.ts';

export const SentMessage = z
  .object({
    id: z.string().openapi({ description: "SES's message id" }),
    kind: z.enum(MESSAGE_KINDS),
    to: z.enum(MESSAGE_ROLES).openapi({ description: 'The recipient by role, never the address' }),
    at: z.iso.datetime(),
    delivery: z.enum(DELIVERY_STATES),
  })
  .openapi('SentMessage');

export const Delivery = z
  .object({
    state: z.enum(['bounced', 'complained']),
    at: z.iso.datetime(),
    messageKind: z.enum(MESSAGE_KINDS),
    to: z.enum(MESSAGE_ROLES),
    reachedAt: z.iso.datetime().optional(),
    reachedBy: z.string().optional(),
    means: z.enum(REACH_MEANS).optional(),
    note: z.string().optional().openapi({ description: 'Internal; never audited' }),
  })
  .openapi('Delivery', {
    description:
      'The latest mail about the request that bounced or was complained about; until `reachedAt`, the request is not answered',
  });

/** The fields the request detail gains (GET /admin/requests/{id}). */
export const deliveryFields = {
  messages: z.array(SentMessage),
  delivery: Delivery.optional(),
  answered: z.boolean().openapi({
    description:
      'Completed or rejected, and the answer reached the subject (or staff reached them after a bounce)',
  }),
};

export const deliverySpecs: Record<string, RouteSpec> = {
  RecordReached: {
    summary:
      'Record that staff reached the subject another way after a mail bounced or was complained about (approver, P10); audited without the note',
    request: {
      params: z.object({ id: z.string().openapi({ example: 'r_3kTMd9Qx1Lw7bZ0aPq2Yc4' }) }),
      headers: idempotencyKey,
      body: { content: { 'application/json': { schema: ReachedBody } } },
    },
    security: [{ staff: [] }],
    responses: {
      200: json(
        z
          .object({ id: z.string(), status: Status, answered: z.boolean(), delivery: Delivery })
          .openapi('Reached'),
        'Recorded; the request counts as answered again',
      ),
      400: problem('Not a means this route knows, or a bad note'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      404: problem('No such request'),
      409: problem('No bounce or complaint stands on this request'),
    },
  },
};
