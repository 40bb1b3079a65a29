// Filing, verifying and following a request (P4, P8, P9); a new code is resend-code.ts. Nothing is looked up about
// the subject here, so every answer is the same whether or not the address belongs to a customer.

import { dueDate } from './deadlines.ts';
import { type Refusal, RefusedError } from './errors.ts';
import { subjectDownload } from './export-outcome.ts';
import { newRequestId } from './ids.ts';
import { FINAL_STATUSES, needsApproval, progressView } from './lifecycle.ts';
import { rejectionMessage, verificationMessage } from './messages/index.ts';
import type { AuditEntryInput, AuditLog, Mailer, RateLimiter, RequestStore, Workflow } from './ports.ts';
import type { RequestRecord } from './request.ts';
import { requestKey } from './request.ts';
import type { CreateRequestBody } from './request-body.ts';
import { typeFields } from './request-fields.ts';
import type { Status } from './schemas.ts';
import { codeHmac, newCode, rateKey, safeEqual, statusToken, subjectRef } from './secrets.ts';

export const CODE_LIFETIME_MS = 15 * 60_000;
export const MAX_ATTEMPTS = 5;
export const MAX_CODES = 3;

export interface IntakeDeps {
  store: RequestStore;
  audit: AuditLog;
  mailer: Mailer;
  limiter: RateLimiter;
  workflow: Workflow;
  secret: string;
  now: () => Date;
  limits: { perAddress: number; perSource: number; windowSeconds: number };
}

const refuse = (refusal: Refusal) => new RefusedError(refusal);
export const refused = {
  rateLimited: () => refuse({ reason: 'rate_limited' }),
  notFound: () => refuse({ reason: 'request_not_found' }),
  wrongCode: (left: number) => refuse({ reason: 'wrong_code', attemptsLeft: left }),
  expiredCode: () => refuse({ reason: 'code_expired' }),
  tooManyWrong: () => refuse({ reason: 'too_many_wrong_codes' }),
  closed: (status: Status) => refuse({ reason: 'request_closed', status }),
  notAwaitingCode: () => refuse({ reason: 'already_verified' }),
  tooManyCodes: () => refuse({ reason: 'too_many_codes' }),
  badToken: () => refuse({ reason: 'bad_status_token' }),
};

/**
 * The limits of filing and of a new code: the source first, then the address as seen from that source, so a
 * refused hit moves one counter only and no stranger can use up an address's limit and lock its subject out.
 */
export async function checkRate(deps: IntakeDeps, email: string, sourceIp: string) {
  const { perAddress, perSource, windowSeconds } = deps.limits;
  const ok =
    (await deps.limiter.hit(rateKey(deps.secret, 'source', sourceIp), perSource, windowSeconds)) &&
    (await deps.limiter.hit(
      rateKey(deps.secret, 'address', `${email}\n${sourceIp}`),
      perAddress,
      windowSeconds,
    ));
  if (!ok) throw refused.rateLimited();
}

/** Codes tried from one source, over every request: guessing across requests is bounded too. */
async function checkVerifyRate(deps: IntakeDeps, sourceIp: string) {
  const { perSource, windowSeconds } = deps.limits;
  const limit = perSource * MAX_ATTEMPTS;
  if (!(await deps.limiter.hit(rateKey(deps.secret, 'verify', sourceIp), limit, windowSeconds)))
    throw refused.rateLimited();
}

/** The code mail, naming the organisation a portability package is to go to (Art. 20(2)). */
export const codeMail = (r: RequestRecord, code: string) =>
  verificationMessage(
    r.languageChosen === false ? undefined : r.language,
    r.type,
    code,
    r.recipient && { organisation: r.recipient.organisation, email: r.recipient.email },
  );

async function sendCode(deps: IntakeDeps, r: RequestRecord, code: string) {
  await deps.mailer.send({
    to: r.email,
    ...codeMail(r, code),
    idempotencyKey: `${r.id}:code:${r.verification.sent}`,
    about: { requestId: r.id, kind: 'code', to: 'subject' },
  });
}

/** Files a request and sends the one-time code to the address given. */
export async function fileRequest(deps: IntakeDeps, body: CreateRequestBody, sourceIp: string) {
  await checkRate(deps, body.email, sourceIp);
  const at = deps.now();
  const id = newRequestId();
  const code = newCode();
  const record: RequestRecord = {
    ...requestKey(id),
    kind: 'request',
    id,
    type: body.type,
    status: 'awaiting_verification',
    channel: 'web',
    email: body.email,
    subjectRef: subjectRef(deps.secret, body.email),
    language: body.language ?? 'nl',
    languageChosen: body.language !== undefined,
    receivedAt: at.toISOString(),
    dueAt: dueDate(at).toISOString(),
    verification: {
      codeHmac: codeHmac(deps.secret, id, code),
      expiresAt: new Date(at.getTime() + CODE_LIFETIME_MS).toISOString(),
      attempts: 0,
      sent: 1,
    },
    ...typeFields(deps.secret, body),
    attempt: 1,
    systems: {},
    version: 1,
  };
  await deps.store.create(record);
  await deps.audit.append(id, {
    actor: 'subject',
    action: 'request.received',
    details: {
      type: record.type,
      channel: record.channel,
      subjectRef: record.subjectRef,
      dueAt: record.dueAt,
    },
  });
  await sendCode(deps, record, code);
  return { id, status: record.status, dueAt: record.dueAt };
}

/** A rectification to a new address needs a second code, sent to that address, before anything acts (P2). */
const needsNewEmailCode = (r: RequestRecord) =>
  r.changes?.email !== undefined && r.changes.email !== r.email && !r.newEmailVerification?.verifiedAt;

// biome-ignore format: one line keeps intake.ts within its 300
type VerifyOutcome = 'verified' | 'new_email_sent' | 'again' | 'wrong' | 'expired' | 'failed' | 'unconfirmed' | 'locked' | undefined;

/**
 * Checks a code; the right one starts the workflow (once), the fifth wrong one rejects the request. A request
 * that changes the address is verified in two steps: the code sent to the address on the request, then the code
 * sent to the new address. A transfer to another organisation is verified only with `confirmTransfer`: without it
 * nothing changes, not even the count of attempts (Art. 20(2)).
 */
export async function verifyRequest(
  deps: IntakeDeps,
  id: string,
  code: string,
  { confirmTransfer, sourceIp }: { confirmTransfer?: boolean; sourceIp?: string } = {},
) {
  if (sourceIp !== undefined) await checkVerifyRate(deps, sourceIp);
  let outcome: VerifyOutcome;
  const at = deps.now();
  const hmac = codeHmac(deps.secret, id, code);
  const secondCode = newCode();
  const fail = (r: RequestRecord, attempts: number) => {
    outcome = attempts >= MAX_ATTEMPTS ? 'failed' : 'wrong';
    if (outcome === 'failed') {
      r.status = 'rejected';
      r.rejection = { reason: 'verification_failed', at: at.toISOString() };
      r.closedAt = at.toISOString();
    }
    return r;
  };
  const verified = (r: RequestRecord) => {
    outcome = 'verified';
    r.status = needsApproval(r) ? 'awaiting_approval' : 'in_progress';
    if (r.recipient) r.recipient.confirmedAt = at.toISOString();
    return r;
  };

  const updated = await deps.store.update(
    id,
    (r) => {
      outcome = undefined;
      const second = r.newEmailVerification;
      if (r.verification.verifiedAt && (!second || second.verifiedAt)) {
        // A repeat (a lost answer) is answered within the code's own limits; the verified request stays as it is.
        const last = second ?? r.verification;
        if (last.attempts >= MAX_ATTEMPTS) outcome = 'locked';
        else if (!safeEqual(hmac, last.codeHmac)) {
          last.attempts += 1;
          outcome = 'wrong';
          return r;
        } else outcome = Date.parse(last.expiresAt) < at.getTime() ? 'expired' : 'again';
        return undefined;
      }
      if (r.status !== 'awaiting_verification') return undefined;
      if (r.recipient && confirmTransfer !== true) {
        outcome = 'unconfirmed';
        return undefined;
      }
      const step = r.verification.verifiedAt && second ? second : r.verification;
      if (Date.parse(step.expiresAt) < at.getTime()) {
        outcome = 'expired';
        return undefined;
      }
      if (!safeEqual(hmac, step.codeHmac)) {
        step.attempts += 1;
        return fail(r, step.attempts);
      }
      step.verifiedAt = at.toISOString();
      if (!needsNewEmailCode(r)) return verified(r);
      outcome = 'new_email_sent';
      r.newEmailVerification = {
        codeHmac: codeHmac(deps.secret, id, secondCode),
        expiresAt: new Date(at.getTime() + CODE_LIFETIME_MS).toISOString(),
        attempts: 0,
      };
      return r;
    },
    (r) => verifyEntry(outcome, r),
  );
  if (!updated) throw refused.notFound();

  switch (outcome) {
    case 'verified':
      await deps.workflow.start(id, 1);
      return { status: updated.status, statusToken: statusToken(deps.secret, id) };
    case 'new_email_sent': {
      const to = updated.changes?.email ?? '';
      await deps.mailer.send({
        to,
        ...codeMail(updated, secondCode),
        idempotencyKey: `${id}:new-email-code`,
        about: { requestId: id, kind: 'new_address_code', to: 'new_address' },
      });
      return { status: updated.status, statusToken: statusToken(deps.secret, id), confirmNewEmail: true };
    }
    case 'again':
      // A repeated verify (a retry after a lost answer) starts nothing new; start() is idempotent by name.
      if (updated.status !== 'awaiting_verification' && !FINAL_STATUSES.includes(updated.status)) {
        await deps.workflow.start(id, 1);
      }
      return { status: updated.status, statusToken: statusToken(deps.secret, id) };
    case 'expired':
      throw refused.expiredCode();
    case 'unconfirmed':
      throw refuse({ reason: 'transfer_not_confirmed' });
    case 'failed':
      await tellRejection(deps, updated);
      throw refused.tooManyWrong();
    case 'locked':
      throw refused.wrongCode(0);
    case 'wrong': {
      const step = updated.newEmailVerification ?? updated.verification;
      throw refused.wrongCode(Math.max(0, MAX_ATTEMPTS - step.attempts));
    }
    default:
      throw FINAL_STATUSES.includes(updated.status)
        ? refused.closed(updated.status)
        : refused.notAwaitingCode();
  }
}

/** The audit entry of a verify's change, written with it in one transaction (Art. 5(2)); wrong codes write none. */
function verifyEntry(outcome: VerifyOutcome, r: RequestRecord): AuditEntryInput | undefined {
  if (outcome === 'verified') {
    const details = { status: r.status, ...(r.recipient ? { transferConfirmed: true } : {}) };
    return { actor: 'subject', action: 'request.verified', details };
  }
  if (outcome === 'new_email_sent')
    return { actor: 'subject', action: 'address.verified', details: { next: 'new_address' } };
  if (outcome === 'failed')
    return { actor: 'system', action: 'request.rejected', details: { reason: 'verification_failed' } };
  return undefined;
}

/** The refusal after five wrong codes: in the form's language, or in all three when it named none (P18). */
async function tellRejection(deps: IntakeDeps, r: RequestRecord) {
  const reason = r.rejection?.reason ?? 'verification_failed';
  const message = rejectionMessage(r.languageChosen === false ? undefined : r.language, r.type, reason);
  await deps.mailer.send({
    to: r.email,
    ...message,
    idempotencyKey: `${r.id}:rejected`,
    about: { requestId: r.id, kind: 'refusal', to: 'subject' },
  });
}

/** A request's progress for the bearer of its status token, with the download links once they were mailed. */
export async function requestStatus(
  deps: Pick<IntakeDeps, 'store' | 'secret' | 'now'> & { publicBaseUrl: string },
  id: string,
  token: string | undefined,
) {
  // The token is checked before any read, so a wrong one reveals nothing, not even whether the id exists.
  if (!token || !safeEqual(statusToken(deps.secret, id), token)) throw refused.badToken();
  const r = await deps.store.get(id);
  if (!r) throw refused.badToken();
  const download = subjectDownload(deps, r);
  return { ...progressView(r, { forSubject: true }), ...(download ? { download } : {}) };
}
