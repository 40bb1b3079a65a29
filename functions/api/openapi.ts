// The zod schemas of every route's request and answers (never written twice); openapi-document.ts builds the document.
import * as z from 'zod';
import { ATTENTIONS } from '../core/deadline-watch.ts';
import { QueueQuery } from '../core/queue.ts';
import { CreateRequestBody } from '../core/request-body.ts';
import {
  Language,
  RejectBody,
  RequestType,
  ResolveIdentityBody,
  Status,
  SystemProgress,
  VerifyBody,
} from '../core/schemas.ts';
import type { ApiRoute } from '../registry.ts';
import { idempotencyKey, json, problem, type RouteSpec, withCommonProblems } from './openapi-common.ts';
import { consoleSpecs, StatusDownload } from './openapi-console.ts';
import { deliveryFields, deliverySpecs } from './openapi-delivery.ts';
import { Extended, extensionSpecs } from './openapi-extension.ts';
import { AnswerFields, letterSpecs } from './openapi-letters.ts';
import { linkSpecs } from './openapi-links.ts';
import { opsSpecs } from './openapi-ops.ts';
import { taskSpecs } from './openapi-tasks.ts';

const Accepted = z
  .object({ id: z.string(), status: Status, dueAt: z.iso.datetime() })
  .openapi('RequestAccepted');
const Verified = z.object({ status: Status, statusToken: z.string() }).openapi('RequestVerified');
const ProgressBase = z.object({
  id: z.string(),
  type: RequestType,
  status: Status,
  receivedAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  extended: Extended.optional(),
  systems: z.array(SystemProgress),
});
const Progress = ProgressBase.openapi('RequestProgress');
// P1, P7: the subject's own view gains the links of the outcome mail once the files are ready.
const SubjectProgress = ProgressBase.extend({ download: StatusDownload.optional() }).openapi(
  'SubjectRequestProgress',
);
// Art. 12(3)–(4): a failed workflow, a failed system or a breached due date shows in the staff list at once.
const Attention = z
  .enum(ATTENTIONS)
  .openapi({ description: 'Why staff must act on this request now, if they must' });
const Summary = z.object({
  id: z.string(),
  type: RequestType,
  status: Status,
  channel: z.string(),
  receivedAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  daysLeft: z.number().int().optional().openapi({
    description: 'While open: Brussels calendar days to the due date in force, negative once overdue (P9)',
  }),
  attention: Attention.optional(),
});
const Page = z.object({ items: z.array(Summary), cursor: z.string().optional() }).openapi('RequestPage');
const Detail = Progress.extend({
  attention: Attention.optional(),
  channel: z.string(),
  language: Language,
  subjectRef: z.string(),
  notices: z.array(
    z.object({
      recipientId: z.string(),
      recipient: z.string(),
      kind: z.string(),
      event: z.string(),
      status: z.string(),
      attempts: z.number().int(),
      firstSentAt: z.string(),
      lastAttemptAt: z.string(),
      acknowledgedAt: z.string().optional(),
      lastError: z.string().optional(),
    }),
  ),
  chain: z
    .object({ intact: z.boolean(), entries: z.number().int(), brokenAt: z.number().int().optional() })
    .openapi({
      description:
        'The audit chain verified link by link and against the head stored at close (P15); brokenAt is the sequence number of the first entry that fails',
    }),
  audit: z.array(
    z.object({ seq: z.string(), at: z.string(), actor: z.string(), action: z.string(), hash: z.string() }),
  ),
  ...AnswerFields,
  ...deliveryFields,
}).openapi('RequestDetail');
const Decided = z.object({ id: z.string(), status: Status }).openapi('Decision');

const id = z.object({ id: z.string().openapi({ example: 'r_3kTMd9Qx1Lw7bZ0aPq2Yc4' }) });

const specs: Record<string, RouteSpec> = {
  CreateRequest: {
    summary: 'File a request (P4); a one-time code goes to the address given (P8)',
    request: {
      headers: idempotencyKey,
      body: { content: { 'application/json': { schema: CreateRequestBody } } },
    },
    responses: {
      202: json(Accepted, 'Filed; the same answer whether or not the address is known'),
      400: problem('Invalid'),
      429: problem('Rate limited'),
    },
  },
  VerifyRequest: {
    summary:
      'Prove control of the address with the code; starts the workflow. A transfer to another organisation also needs confirmTransfer (Art. 20(2))',
    request: {
      params: id,
      headers: idempotencyKey,
      body: { content: { 'application/json': { schema: VerifyBody } } },
    },
    responses: {
      200: json(Verified, 'Verified'),
      400: problem('Wrong or expired code'),
      404: problem('No such request'),
      409: problem('Closed'),
      422: problem('A transfer to another organisation, not confirmed: nothing changed'),
    },
  },
  ResendCode: {
    summary: 'Send a new code',
    request: { params: id, headers: idempotencyKey },
    responses: {
      202: json(Accepted, 'Sent'),
      404: problem('No such request'),
      409: problem('Not awaiting a code'),
      429: problem('Rate limited'),
    },
  },
  GetRequestStatus: {
    summary: 'Follow a request with its status token (Authorization: Bearer <statusToken>)',
    request: { params: id },
    security: [{ statusToken: [] }],
    responses: {
      200: json(SubjectProgress, 'Progress, no personal data; the download links once the files are ready'),
      401: problem('Missing or wrong status token'),
    },
  },
  GetOpenApi: {
    summary: 'This document',
    responses: {
      200: {
        description: 'OpenAPI 3.1',
        content: { 'application/json': { schema: z.object({}).passthrough() } },
      },
    },
  },
  ListRequests: {
    summary:
      'The staff queue (viewer): newest received first, or open requests by due date (order=due, overdue first); filters by status, type, channel, needs action and id; no personal data',
    request: { query: QueueQuery },
    security: [{ staff: [] }],
    responses: {
      200: json(Page, 'A page; a cursor when more may follow'),
      400: problem('Invalid filter, or a cursor this listing did not give (`invalid-cursor`)'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
    },
  },
  GetRequest: {
    summary: 'A request with outcomes and audit trail (viewer); the view itself is audited',
    request: { params: id },
    security: [{ staff: [] }],
    responses: {
      200: json(Detail, 'Detail'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      404: problem('No such request'),
    },
  },
  ApproveRequest: {
    summary: 'Approve (approver)',
    request: { params: id, headers: idempotencyKey },
    security: [{ staff: [] }],
    responses: {
      200: json(Decided, 'Approved'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      404: problem('No such request'),
      409: problem('Not awaiting approval'),
    },
  },
  RetryRequest: {
    summary: 'Act again on the systems that failed (approver); systems already done keep their outcome',
    request: { params: id, headers: idempotencyKey },
    security: [{ staff: [] }],
    responses: {
      202: json(
        z.object({ id: z.string(), status: Status, attempt: z.number().int() }).openapi('Retry'),
        'Retrying',
      ),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      404: problem('No such request'),
      409: problem('Not partially completed'),
    },
  },
  ResolveIdentity: {
    summary:
      'Pick the one customer a request is about where its address leads to several (approver, P8); audited',
    request: {
      params: id,
      headers: idempotencyKey,
      body: { content: { 'application/json': { schema: ResolveIdentityBody } } },
    },
    security: [{ staff: [] }],
    responses: {
      200: json(Decided, 'Picked; the workflow acts for this customer only'),
      400: problem('Not a customer number'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      404: problem('No such request'),
      409: problem('Not waiting for staff to pick the person'),
    },
  },
  RejectRequest: {
    summary:
      'Reject with a reason (approver); the subject is told, with the right to complain and go to court',
    request: {
      params: id,
      headers: idempotencyKey,
      body: { content: { 'application/json': { schema: RejectBody } } },
    },
    security: [{ staff: [] }],
    responses: {
      200: json(Decided, 'Rejected'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      404: problem('No such request'),
      409: problem(
        'Not awaiting approval, or never refusable: an objection to direct marketing (Art. 21(3)) or a withdrawal of consent (Art. 7(3))',
      ),
      422: problem(
        'Reason not allowed: an objection on legitimate interest is refused only for compelling_legitimate_grounds, which refuses nothing else (Art. 21(1))',
      ),
    },
  },
};

const SPECS = [
  specs,
  linkSpecs,
  extensionSpecs,
  consoleSpecs,
  letterSpecs,
  deliverySpecs,
  opsSpecs,
  taskSpecs,
];

/** A route's description with the zod schemas of its request and answers, the problems of its kind included. */
export function routeSpec(r: ApiRoute): RouteSpec {
  const spec = SPECS.map((s) => s[r.id]).find(Boolean);
  if (!spec) throw new Error(`No OpenAPI description for route ${r.id}`);
  return withCommonProblems(r, spec);
}
