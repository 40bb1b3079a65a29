// The domain's few errors. None of them knows HTTP: functions/api/problems.ts maps a refusal to its problem.
import type { RejectionReason, Status } from './schemas.ts';

/** Why the domain will not do what it was asked; each reason becomes one problem type at the API. */
export type Refusal =
  | { reason: 'rate_limited' }
  | { reason: 'request_not_found' }
  | { reason: 'wrong_code'; attemptsLeft: number }
  | { reason: 'code_expired' }
  /** a transfer to another organisation is verified only with the subject's confirmation (Art. 20(2)) */
  | { reason: 'transfer_not_confirmed' }
  | { reason: 'too_many_wrong_codes' }
  | { reason: 'request_closed'; status: Status }
  | { reason: 'already_verified' }
  | { reason: 'too_many_codes' }
  | { reason: 'bad_status_token' }
  | { reason: 'not_awaiting_approval'; status: Status }
  | { reason: 'not_awaiting_identity_check'; status: Status }
  | { reason: 'not_partially_completed'; status: Status }
  /** an objection to direct marketing (Art. 21(3)) or a withdrawal of consent (Art. 7(3)) cannot be refused */
  | { reason: 'not_refusable' }
  | { reason: 'rejection_reason_not_allowed'; rejection: RejectionReason; allowed: RejectionReason[] }
  /** P9: one extension only, before the first due date, of an open, verified request, to at most receipt + 3 months */
  | { reason: 'already_extended'; dueAt: string }
  | { reason: 'extension_too_late'; dueAt: string }
  | { reason: 'not_extendable'; status: Status }
  | { reason: 'extension_date_not_allowed'; earliest: string; latest: string }
  /** P4: staff register a receipt date that is neither in the future nor more than a year ago */
  | { reason: 'received_at_not_allowed'; earliest: string; latest: string }
  | { reason: 'letter_not_found' }
  | { reason: 'bad_cursor' }
  /** P10: staff record reaching the subject only where a bounce or complaint stands */
  | { reason: 'nothing_undelivered' }
  | { reason: 'download_invalid' }
  | { reason: 'download_expired' }
  | { reason: 'download_not_found' }
  /** the request kept changing under this change, which was not applied: the caller may send it again */
  | { reason: 'request_contended' };

/** The domain refuses a request of the caller's (ErrorEquals "RefusedError"); `refusal` says why. */
export class RefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
    this.name = 'RefusedError';
  }
}

/** A system could not be reached or answered wrongly; the workflow retries it (ErrorEquals "ConnectorError"). */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly retryable = true,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}
