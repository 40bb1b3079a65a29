// The one registry of problem types (RFC 9457): every answer of the handlers, the local API server and API Gateway's
// own responses takes its type, status and title from here. Imports nothing, so infra/ and local/ can read it too.
import type { Refusal } from '../core/errors.ts';

/** Base of every problem `type` URI; the rest of the URI is stable per error. */
export const PROBLEM_BASE = 'https://privacy.jsm.be/problems/';

interface ProblemSpec {
  /** the type slug after PROBLEM_BASE; the registry key when absent */
  type?: string;
  /** absent for API Gateway's catch-all responses, which keep the status of the response they replace */
  status?: number;
  title: string;
}

/** Every problem, by name. A name is its type slug, unless one type has several titles (then `type` says). */
export const PROBLEMS = {
  // Input and media type
  'invalid-request': { status: 400, title: 'The request is not valid' },
  'invalid-json': { status: 400, title: 'The body is not valid JSON' },
  'unsupported-media-type': { status: 415, title: 'Send a JSON body' },
  'unsupported-form-type': { type: 'unsupported-media-type', status: 415, title: 'Send a form' },
  'one-click-required': { status: 400, title: 'The body must be List-Unsubscribe=One-Click (RFC 8058)' },
  'invalid-unsubscribe-token': { status: 400, title: 'This unsubscribe link is not valid' },
  'invalid-cursor': { status: 400, title: 'The cursor is not one this listing gave' },
  'nothing-undelivered': { status: 409, title: 'No bounce or complaint stands on this request' },
  // Who calls
  unauthorized: { status: 401, title: 'Staff login required' },
  forbidden: { status: 403, title: 'Not allowed for your role' },
  'invalid-status-token': { status: 401, title: 'Missing or invalid status token' },
  // The local staff sign-in (local/staff-users.ts); the same answer for an unknown user and a wrong password
  'invalid-credentials': { status: 401, title: 'The user name or password is not correct' },
  // Idempotency-Key
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with another body' },
  'idempotency-in-progress': { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  // Intake and decisions
  'rate-limited': { status: 429, title: 'Too many requests' },
  'not-found': { status: 404, title: 'No such request' },
  'invalid-code': { status: 400, title: 'The code is not correct' },
  'code-expired': { status: 400, title: 'The code has expired' },
  'transfer-not-confirmed': {
    status: 422,
    title: 'Confirm the transfer to the organisation named in the code e-mail',
  },
  'verification-failed': { status: 400, title: 'Too many wrong codes' },
  'request-closed': { status: 409, title: 'The request is closed' },
  'already-verified': { status: 409, title: 'The request is already verified' },
  'too-many-codes': { status: 429, title: 'Too many codes sent' },
  'request-contended': { status: 409, title: 'The request changed meanwhile; send it again' },
  'not-awaiting-approval': { status: 409, title: 'The request does not await approval' },
  'not-awaiting-identity-check': {
    status: 409,
    title: 'The request does not wait for staff to pick the person',
  },
  'not-partially-completed': { status: 409, title: 'Only a partially completed request can be retried' },
  'not-refusable': { status: 409, title: 'This request cannot be refused' },
  'rejection-reason-not-allowed': { status: 422, title: 'This reason cannot refuse this request' },
  // The extension of the period (P9, Art. 12(3))
  'already-extended': { status: 409, title: 'The period of this request has already been extended' },
  'extension-too-late': { status: 409, title: 'The first period has ended; it can no longer be extended' },
  'not-extendable': { status: 409, title: 'Only a verified, open request can be extended' },
  'extension-date-not-allowed': {
    status: 422,
    title: 'The new due date must fall after the first one and at most three months after receipt',
  },
  // Requests staff register (P4, P12)
  'received-at-not-allowed': {
    status: 422,
    title: 'The receipt date must not be in the future nor more than a year ago',
  },
  'letter-not-found': {
    status: 404,
    title: 'No such letter, or its content was removed with the personal data',
  },
  // Retention sweep runs staff follow (P11)
  'run-not-found': { status: 404, title: 'No such retention sweep run' },
  // Manual tasks: the owner's signed link (P17); a browser gets the same status as a page
  'task-link-invalid': { status: 400, title: 'This task link is not valid' },
  'task-link-expired': { status: 410, title: 'This task link has expired' },
  'task-answer-invalid': { status: 400, title: 'This answer cannot be recorded' },
  'task-answered': { status: 409, title: 'This task was already answered' },
  // Downloads (P7)
  'download-token-invalid': { status: 403, title: 'This download link is not valid' },
  'download-expired': {
    status: 410,
    title: 'This download link has expired; file a new request to get your data again',
  },
  'download-not-found': { status: 404, title: 'There is nothing to download for this link' },
  // Ours
  internal: { status: 500, title: 'Something went wrong on our side' },
  unavailable: { status: 503, title: 'Busy for a moment: send the same request again shortly' },
  // API Gateway's own answers (infra/constructs/api.ts) and the local API server's (local/api-server.ts)
  'gateway-unauthorized': { type: 'unauthorized', status: 401, title: 'Missing or invalid token' },
  'gateway-forbidden': { type: 'forbidden', status: 403, title: 'Not allowed' },
  'waf-blocked': { type: 'forbidden', status: 403, title: 'Request blocked' },
  'bad-request': { status: 400, title: 'Missing or invalid parameters' },
  'no-route': { type: 'not-found', status: 404, title: 'No such route' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'too-large': { status: 413, title: 'Request too large' },
  'client-error': { title: 'Request not accepted' },
  'gateway-internal': { type: 'internal', title: 'Something went wrong on our side' },
  'server-error': { status: 502, title: 'Something went wrong on our side' },
  starting: { status: 503, title: 'The local runtime is still starting' },
} as const satisfies Record<string, ProblemSpec>;

export type ProblemName = keyof typeof PROBLEMS;

/** An RFC 9457 problem body. */
export interface Problem {
  type: string;
  title: string;
  status?: number;
  detail?: string;
  [extension: string]: unknown;
}

/** The problem body for a registered name; `status` overrides the registered one (e.g. 504 for a timeout). */
export function problem(
  name: ProblemName,
  options: { detail?: string; status?: number; extra?: Record<string, unknown> } = {},
): Problem {
  const spec: ProblemSpec = PROBLEMS[name];
  const status = options.status ?? spec.status;
  return {
    type: `${PROBLEM_BASE}${spec.type ?? name}`,
    title: spec.title,
    ...(status !== undefined ? { status } : {}),
    ...(options.detail ? { detail: options.detail } : {}),
    ...options.extra,
  };
}

/** An error a route throws to answer with a registered problem. */
export class ProblemError extends Error {
  constructor(
    readonly problemName: ProblemName,
    readonly options: { detail?: string; status?: number; extra?: Record<string, unknown> } = {},
  ) {
    super(PROBLEMS[problemName].title);
    this.name = 'ProblemError';
  }

  get problem(): Problem {
    return problem(this.problemName, this.options);
  }
}

/** The problem for each of the domain's refusals: same types, titles and details the API has always given. */
export function refusalProblem(r: Refusal): Problem {
  switch (r.reason) {
    case 'rate_limited':
      return problem('rate-limited', { detail: 'Please wait before trying again.' });
    case 'request_not_found':
      return problem('not-found');
    case 'request_contended':
      return problem('request-contended', { detail: 'Nothing was changed.' });
    case 'wrong_code':
      return problem('invalid-code', {
        detail: `${r.attemptsLeft} ${r.attemptsLeft === 1 ? 'attempt' : 'attempts'} left.`,
        extra: { attemptsLeft: r.attemptsLeft },
      });
    case 'code_expired':
      return problem('code-expired', { detail: 'Ask for a new code with POST /requests/{id}/resend.' });
    case 'transfer_not_confirmed':
      return problem('transfer-not-confirmed', {
        detail:
          'This request sends your data to another organisation (GDPR Art. 20(2)): verify with "confirmTransfer": true once you have checked the organisation the code e-mail names. Nothing was changed.',
      });
    case 'too_many_wrong_codes':
      return problem('verification-failed', { detail: 'The request has been rejected; file a new one.' });
    case 'request_closed':
      return problem('request-closed', { detail: `The request is ${r.status}.` });
    case 'already_verified':
      return problem('already-verified', { detail: 'No new code is needed.' });
    case 'too_many_codes':
      return problem('too-many-codes', { detail: 'No more codes can be sent for this request.' });
    case 'bad_status_token':
      return problem('invalid-status-token');
    case 'not_awaiting_approval':
      return problem('not-awaiting-approval', { detail: `It is ${r.status}.` });
    case 'not_awaiting_identity_check':
      return problem('not-awaiting-identity-check', { detail: `It is ${r.status}.` });
    case 'not_partially_completed':
      return problem('not-partially-completed', { detail: `It is ${r.status}.` });
    case 'not_refusable':
      return problem('not-refusable', {
        detail:
          'An objection to direct marketing (GDPR Art. 21(3)) and the withdrawal of a consent (Art. 7(3)) are carried out without approval.',
      });
    case 'rejection_reason_not_allowed':
      return problem('rejection-reason-not-allowed', {
        detail:
          r.rejection === 'compelling_legitimate_grounds'
            ? 'compelling_legitimate_grounds refuses only an objection to processing on legitimate interest (GDPR Art. 21(1)).'
            : `An objection to processing on legitimate interest may be refused only for compelling legitimate grounds (GDPR Art. 21(1)); allowed: ${r.allowed.join(', ')}.`,
        extra: { allowed: r.allowed },
      });
    case 'already_extended':
      return problem('already-extended', {
        detail: `It is due on ${r.dueAt}; GDPR Art. 12(3) allows one extension.`,
        extra: { dueAt: r.dueAt },
      });
    case 'extension_too_late':
      return problem('extension-too-late', {
        detail: `It was due on ${r.dueAt}; an extension must be notified within the first period (GDPR Art. 12(3)).`,
        extra: { dueAt: r.dueAt },
      });
    case 'not_extendable':
      return problem('not-extendable', { detail: `It is ${r.status}.` });
    case 'extension_date_not_allowed':
      return problem('extension-date-not-allowed', {
        detail: `Pick a day from ${r.earliest} to ${r.latest} (GDPR Art. 12(3)).`,
        extra: { earliest: r.earliest, latest: r.latest },
      });
    case 'received_at_not_allowed':
      return problem('received-at-not-allowed', {
        detail: `Give a moment from ${r.earliest} to ${r.latest}.`,
        extra: { earliest: r.earliest, latest: r.latest },
      });
    case 'letter_not_found':
      return problem('letter-not-found');
    case 'bad_cursor':
      return problem('invalid-cursor');
    case 'nothing_undelivered':
      return problem('nothing-undelivered', {
        detail: 'Every mail about it reached the subject, or staff already recorded reaching them.',
      });
    case 'download_invalid':
      return problem('download-token-invalid');
    case 'download_expired':
      return problem('download-expired');
    case 'download_not_found':
      return problem('download-not-found');
  }
}
