// The OpenAPI description of requests staff register (P4) and of requests made for the subject (P12).
import * as z from 'zod';
import { AuthorityCheckBody, AuthorityMethod, LETTER_KINDS, Relation } from '../core/authority.ts';
import { RegisterRequestBody } from '../core/register.ts';
import { Status } from '../core/schemas.ts';
import { idempotencyKey, json, page, problem, type RouteSpec } from './openapi-common.ts';

const id = z.object({ id: z.string().openapi({ example: 'r_3kTMd9Qx1Lw7bZ0aPq2Yc4' }) });

/** What the request page adds: how the requester is answered, who acts and how it was checked; no personal data. */
export const AnswerFields = {
  answerBy: z.enum(['email', 'letter']),
  representation: z
    .object({
      relation: Relation,
      checkedAt: z.iso.datetime().optional(),
      method: AuthorityMethod.optional(),
    })
    .optional(),
  letters: z
    .array(z.object({ id: z.string(), kind: z.enum(LETTER_KINDS), at: z.iso.datetime() }))
    .optional()
    .openapi({ description: 'Printable letters sent instead of mails (GET .../letters/{letterId})' }),
  check: z
    .object({ of: z.enum(['identity', 'authority']), pending: z.boolean() })
    .optional()
    .openapi({ description: 'The check staff record with POST .../authority, and whether it is still owed' }),
};

const Registered = z
  .object({ id: z.string(), status: Status, dueAt: z.iso.datetime() })
  .openapi('RequestRegistered');

export const letterSpecs: Record<string, RouteSpec> = {
  RegisterRequest: {
    summary:
      "Register a request received by letter or e-mail, or made for the subject (approver, P4, P12); the period counts from its receipt. The subject's own e-mail gets a code; otherwise it waits in awaiting_identity_check for POST .../authority",
    request: {
      headers: idempotencyKey,
      body: { content: { 'application/json': { schema: RegisterRequestBody } } },
    },
    security: [{ staff: [] }],
    responses: {
      201: json(Registered, 'Registered'),
      400: problem('Invalid: unknown fields, no address to answer to, e-mail channel without its address'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      422: problem('The receipt date is in the future or more than a year ago'),
    },
  },
  RecordAuthorityCheck: {
    summary:
      "Record how identity and a representative's authority were checked (approver, P12); a method code and an internal note, never a copy of a document (GBA recommendation 17/2020). The request goes on as a verified one",
    request: {
      params: id,
      headers: idempotencyKey,
      body: { content: { 'application/json': { schema: AuthorityCheckBody } } },
    },
    security: [{ staff: [] }],
    responses: {
      200: json(z.object({ id: z.string(), status: Status }), 'Recorded'),
      400: problem('Not a method code'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      404: problem('No such request'),
      409: problem('Not waiting for a check'),
    },
  },
  GetLetter: {
    summary: 'A printable letter sent instead of a mail (approver, P4); opening it is audited (P15)',
    request: {
      params: id.extend({ letterId: z.string().openapi({ example: 'l_Xx7v0c5n2QmJ4s9fA1bC3d' }) }),
    },
    security: [{ staff: [] }],
    responses: {
      200: page('The letter, with its print style sheet'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      404: problem('No such request or letter, or its content was minimised'),
    },
  },
};
