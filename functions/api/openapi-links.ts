// The OpenAPI descriptions of the link routes: one-click opt-out (P5) and downloads (P7).
import * as z from 'zod';
import { Language } from '../core/schemas.ts';
import { ONE_CLICK, UnsubscribeLink, UnsubscribeLinkBody } from '../core/unsubscribe.ts';
import { idempotencyKey, json, page, problem, type RouteSpec } from './openapi-common.ts';

// One-click opt-out (P5, RFC 8058).
const unsubscribeToken = z.object({
  token: z
    .string()
    .openapi({ description: 'The signed token of an unsubscribe URL (POST /admin/unsubscribe-links)' }),
});
const oneClickForm = z
  .object({ 'List-Unsubscribe': z.literal('One-Click') })
  .openapi('OneClickUnsubscribe', { description: `RFC 8058: the body is ${ONE_CLICK}` });
export const linkSpecs: Record<string, RouteSpec> = {};
linkSpecs.UnsubscribePage = {
  summary:
    'The opt-out confirmation page, in the link’s language (?lang= to switch); a GET never unsubscribes',
  request: { params: unsubscribeToken, query: z.object({ lang: Language.optional() }) },
  responses: {
    200: page('A page with a button that POSTs List-Unsubscribe=One-Click'),
    400: problem('Malformed, forged or altered link (a browser gets the same 400 as a page)'),
  },
};
linkSpecs.Unsubscribe = {
  summary:
    'One-click unsubscribe (RFC 8058): off the list, suppressed, the processor told; no login, idempotent',
  request: {
    params: unsubscribeToken,
    headers: idempotencyKey,
    body: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': { schema: oneClickForm },
        'multipart/form-data': { schema: oneClickForm },
      },
    },
  },
  responses: {
    200: page('Unsubscribed (also for a repeat)'),
    400: problem('Malformed, forged or altered link, or no List-Unsubscribe=One-Click; nothing changed'),
    415: problem('Not a form'),
  },
};
linkSpecs.IssueUnsubscribeLink = {
  summary:
    'Issue the signed one-click unsubscribe URL for one address and list (admin), with its mail headers',
  request: {
    headers: idempotencyKey,
    body: { content: { 'application/json': { schema: UnsubscribeLinkBody } } },
  },
  security: [{ staff: [] }],
  responses: {
    200: json(UnsubscribeLink, 'The URL and the List-Unsubscribe / List-Unsubscribe-Post headers'),
    400: problem('Invalid'),
    401: problem('Not logged in'),
    403: problem('Role too low'),
  },
};

// Downloads (P7): a signed link from the outcome e-mail, answered by a redirect to a short-lived presigned URL.
linkSpecs.Download = {
  summary:
    'Fetch an access report or portability package: checks the signed, single-subject link (valid 7 days) and redirects to the file (valid 5 minutes)',
  request: {
    params: z.object({
      token: z.string().openapi({ description: 'The signed download token from the outcome e-mail' }),
    }),
  },
  responses: {
    302: {
      description: 'Redirect to a presigned URL of the file, valid for 5 minutes; no body',
      headers: z.object({ Location: z.url().openapi({ description: 'The presigned URL' }) }),
    },
    403: problem('Altered link, or a link of another subject (`download-token-invalid`)'),
    404: problem('Nothing to download for this link (`download-not-found`)'),
    410: problem('The link has expired (`download-expired`); file a new request'),
  },
};
