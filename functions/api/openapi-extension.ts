// The OpenAPI description of the extension route (P9, Art. 12(3)).
import * as z from 'zod';
import { ExtendBody } from '../core/extension.ts';
import { ExtensionReason, Status } from '../core/schemas.ts';
import { idempotencyKey, json, problem, type RouteSpec } from './openapi-common.ts';

/** What the subject and staff see of an extension: the ground and the new due date. */
export const Extended = z.object({ reason: ExtensionReason, dueAt: z.iso.datetime() }).openapi('Extension');

const Extension = z
  .object({ id: z.string(), status: Status, dueAt: z.iso.datetime(), extended: Extended })
  .openapi('Extended');

export const extensionSpecs: Record<string, RouteSpec> = {
  ExtendRequest: {
    summary:
      'Extend the period once (approver), for complexity or the number of requests, before the first due date and to at most receipt + three months; the subject is told why (P9, Art. 12(3))',
    request: {
      params: z.object({ id: z.string().openapi({ example: 'r_3kTMd9Qx1Lw7bZ0aPq2Yc4' }) }),
      headers: idempotencyKey,
      body: { content: { 'application/json': { schema: ExtendBody } } },
    },
    security: [{ staff: [] }],
    responses: {
      200: json(Extension, 'Extended; the notice is on its way to the subject'),
      400: problem('Not a reason the GDPR allows, no note, or not a date'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      404: problem('No such request'),
      409: problem(
        'Already extended (`already-extended`), the first period is over (`extension-too-late`), the request is closed (`request-closed`) or not yet verified (`not-extendable`)',
      ),
      422: problem('The day is not after the first due date, or beyond receipt + three months'),
    },
  },
};
