import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

// Every keyed value derives its own key from the one application secret, so a leak of one kind of token
// cannot be replayed as another.
/** A key of its own for one purpose, derived from the application secret. */
export function derive(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`jsm-privacy:${purpose}`).digest();
}

function mac(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', derive(secret, purpose)).update(value).digest('base64url');
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A fresh one-time code of 8 digits (P8). */
export function newCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

/** The code as stored: an HMAC bound to the request, never the code itself. */
export function codeHmac(secret: string, requestId: string, code: string): string {
  return mac(secret, 'code', `${requestId}:${code}`);
}

/** The token a verified subject uses to follow a request; derived, so a repeated verify returns the same one. */
export function statusToken(secret: string, requestId: string): string {
  return mac(secret, 'status', requestId);
}

/** A keyed hash of an address: the pseudonymous subject id for audit entries and suppression lists. */
export function subjectRef(secret: string, email: string): string {
  return `s_${mac(secret, 'subject', email.trim().toLowerCase()).slice(0, 32)}`;
}

/** A keyed hash for rate-limit counters, so they hold no address or IP in clear. */
export function rateKey(secret: string, scope: string, value: string): string {
  return mac(secret, `rate:${scope}`, value).slice(0, 32);
}

/** A keyed hash of a customer number: the pseudonymous id an audit entry names for the person staff picked (P8). */
export function customerRef(secret: string, customerNumber: string): string {
  return `c_${mac(secret, 'customer', customerNumber).slice(0, 32)}`;
}
