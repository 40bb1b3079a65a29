// A new one-time code for a request still awaiting one (P8): the same limits as filing, the same code mail.
import type { RefusedError } from './errors.ts';
import { CODE_LIFETIME_MS, checkRate, codeMail, type IntakeDeps, MAX_CODES, refused } from './intake.ts';
import { FINAL_STATUSES } from './lifecycle.ts';
import { codeHmac, newCode } from './secrets.ts';

/**
 * Sends a new code (the old one stops working) to the address the current step verifies; attempts are not
 * reset, so codes cannot be brute-forced.
 */
export async function resendCode(deps: IntakeDeps, id: string, sourceIp: string) {
  const existing = await deps.store.get(id);
  if (!existing) throw refused.notFound();
  if (existing.status === 'awaiting_verification' && existing.verification.sent >= MAX_CODES) {
    throw refused.tooManyCodes();
  }
  await checkRate(deps, existing.email, sourceIp);
  const at = deps.now();
  const code = newCode();
  let refusal: RefusedError | undefined;
  const updated = await deps.store.update(id, (r) => {
    refusal = undefined;
    if (r.status !== 'awaiting_verification') {
      refusal = FINAL_STATUSES.includes(r.status) ? refused.closed(r.status) : refused.notAwaitingCode();
      return undefined;
    }
    if (r.verification.sent >= MAX_CODES) {
      refusal = refused.tooManyCodes();
      return undefined;
    }
    const step =
      r.verification.verifiedAt && r.newEmailVerification ? r.newEmailVerification : r.verification;
    step.codeHmac = codeHmac(deps.secret, id, code);
    step.expiresAt = new Date(at.getTime() + CODE_LIFETIME_MS).toISOString();
    r.verification.sent += 1;
    return r;
  });
  if (!updated) throw refused.notFound();
  if (refusal) throw refusal;
  await deps.audit.append(id, {
    actor: 'subject',
    action: 'code.resent',
    details: { sent: updated.verification.sent },
  });
  const to = updated.verification.verifiedAt ? (updated.changes?.email ?? updated.email) : updated.email;
  await deps.mailer.send({
    to,
    ...codeMail(updated, code),
    idempotencyKey: `${id}:code:${updated.verification.sent}`,
    about: { requestId: id, kind: 'code_resent', to: to === updated.email ? 'subject' : 'new_address' },
  });
  return { id, status: updated.status, dueAt: updated.dueAt };
}
