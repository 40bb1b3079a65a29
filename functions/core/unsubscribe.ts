// One-click opt-out (PROMISES P5, RFC 8058). The pipeline issues one signed unsubscribe URL per address and list
// for the e-mail marketing processor to put in its mailings; a POST to it (no login, no code) takes the address
// off the list, suppresses it against later imports (keyed hash, never the address) and tells the processor.
//
// The token must carry the address: the opt-out has to reach the processor, which knows subscribers by address,
// and nothing in our stores maps a keyed hash back to one. Because URLs end up in access logs, mail scanners and
// browser histories, the address is hidden: the token is a JWE (RFC 7516; `dir` + `A256GCM`, from jose) under a
// key derived from the app secret with HKDF. Its protected header is fixed, so the URL carries only the IV,
// ciphertext and tag, in one base64url string; the header is put back before decrypting (it is GCM's AAD, so it
// is still authenticated). The IV is an HMAC of the plaintext under its own key (a synthetic IV): the same
// address, list and language always give the same URL, so a processor may issue it again for every mailing;
// equal URLs reveal only equality, and an IV repeats only with its plaintext. Tokens of the earlier AES-CTR
// format (before issue 6) no longer read: links issued before then must be issued again.
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { base64url, CompactEncrypt, compactDecrypt } from 'jose';
import * as z from 'zod';
import { factOf } from './audit.ts';
import type { NoticeDelivery } from './notifications.ts';
import { deliverNotices, noticesForOptOut } from './notifications.ts';
import type { AuditLog, ConsentWithdrawals, MarketingOptOutStore } from './ports.ts';
import { Email, Language } from './schemas.ts';
import { subjectRef } from './secrets.ts';
import { MarketingList } from './suppression.ts';

export type { MarketingOptOutStore } from './ports.ts';

/** What one unsubscribe URL stands for: one address, one list, and the language of its pages (P18). */
export interface UnsubscribeTarget {
  email: string;
  list: MarketingList;
  language: Language;
}

// The fixed protected header; `kid` names the format, so a later one cannot be mistaken for this one.
const HEADER = { alg: 'dir', enc: 'A256GCM', kid: 'unsubscribe-1' } as const;
const HEADER_B64 = base64url.encode(JSON.stringify(HEADER));
// Stable codes: a token issued today must still read after a list or language is added.
const LIST_CODES: Record<MarketingList, number> = { newsletter: 1, direct_mailing: 2 };
const LANGUAGE_CODES: Record<Language, number> = { nl: 1, fr: 2, en: 3 };
const IV_BYTES = 12;
const TAG_BYTES = 16;
// 254 is the longest address (RFC 5321); anything longer cannot be one of ours.
const MAX_TOKEN_CHARS = Math.ceil(((IV_BYTES + 254 + 16 + TAG_BYTES) * 4) / 3);
const Plain = z.tuple([z.string(), z.number().int(), z.number().int()]);

// Each purpose has its own key, so no other token or hash of ours can be replayed as an unsubscribe token.
const hkdf = (secret: string, info: string) =>
  new Uint8Array(hkdfSync('sha256', secret, 'jsm-privacy:unsubscribe', info, 32));
const keys = (secret: string) => ({ enc: hkdf(secret, 'jwe-a256gcm'), iv: hkdf(secret, 'synthetic-iv') });

const byCode = <K extends string>(codes: Record<K, number>, code: number | undefined): K | undefined =>
  (Object.entries(codes) as [K, number][]).find(([, c]) => c === code)?.[0];

/** Encrypts an unsubscribe token for one address and list (base64url, about 72 characters for a short address). */
export async function unsubscribeToken(secret: string, target: UnsubscribeTarget): Promise<string> {
  const email = Email.parse(target.email);
  const k = keys(secret);
  const plain = Buffer.from(
    JSON.stringify([email, LIST_CODES[target.list], LANGUAGE_CODES[target.language]]),
    'utf8',
  );
  const iv = createHmac('sha256', k.iv).update(plain).digest().subarray(0, IV_BYTES);
  const jwe = await new CompactEncrypt(plain)
    .setProtectedHeader(HEADER)
    .setInitializationVector(iv)
    .encrypt(k.enc);
  const [, , ivPart = '', ciphertext = '', tag = ''] = jwe.split('.');
  return Buffer.concat([
    base64url.decode(ivPart),
    base64url.decode(ciphertext),
    base64url.decode(tag),
  ]).toString('base64url');
}

/** Reads a token; undefined when it is malformed, forged or altered in any bit (nothing more is said). */
export async function readUnsubscribeToken(
  secret: string,
  token: string,
): Promise<UnsubscribeTarget | undefined> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token))
    return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < IV_BYTES + 1 + TAG_BYTES) return undefined;
  const part = (b: Buffer) => b.toString('base64url');
  const jwe = [
    HEADER_B64,
    '',
    part(raw.subarray(0, IV_BYTES)),
    part(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
    part(raw.subarray(raw.length - TAG_BYTES)),
  ].join('.');
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(jwe, keys(secret).enc, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    }));
  } catch {
    return undefined;
  }
  let parsed: z.infer<typeof Plain>;
  try {
    parsed = Plain.parse(JSON.parse(Buffer.from(plaintext).toString('utf8')));
  } catch {
    return undefined;
  }
  const [email, listCode, languageCode] = parsed;
  const list = byCode(LIST_CODES, listCode);
  const language = byCode(LANGUAGE_CODES, languageCode);
  const address = Email.safeParse(email);
  if (!list || !language || !address.success || address.data !== email) return undefined;
  return { email, list, language };
}

export const ONE_CLICK = 'List-Unsubscribe=One-Click';

/** The unsubscribe URL under the API's public base URL, and the two headers RFC 8058 asks the mailing to carry. */
export function unsubscribeLink(publicBaseUrl: string, token: string) {
  const url = `${publicBaseUrl.replace(/\/+$/, '')}/unsubscribe/${token}`;
  return { url, headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': ONE_CLICK } };
}

/**
 * The pseudonymous id of one address's opt-out from one list: its audit chain and its notices are kept under it.
 * Derived from the keyed hash, so it names no one and is the same for every repeat of the same opt-out.
 */
export function optOutId(subjectRefOfAddress: string, list: MarketingList): string {
  const digest = createHash('sha256').update(`optout:${subjectRefOfAddress}:${list}`).digest('base64url');
  return `o_${digest.slice(0, 22)}`;
}

/** `POST /admin/unsubscribe-links` body. */
export const UnsubscribeLinkBody = z
  .strictObject({
    email: Email,
    list: MarketingList,
    language: Language.optional().openapi({ description: 'Language of the pages; nl when absent' }),
  })
  .openapi('UnsubscribeLinkRequest');

/** `POST /admin/unsubscribe-links` answer. */
export const UnsubscribeLink = z
  .object({
    url: z.url(),
    headers: z.object({
      'List-Unsubscribe': z.string().openapi({ example: '<https://privacy.jsm.be/unsubscribe/AQEB…>' }),
      'List-Unsubscribe-Post': z.literal(ONE_CLICK),
    }),
  })
  .openapi('UnsubscribeLink');

/** Why a one-click POST body is not acceptable; the handler maps each to a problem. */
export type OneClickProblem = 'unsupported_media_type' | 'missing_one_click';

/**
 * Checks an RFC 8058 POST body, as parsed from a form (form-encoded from browsers and most mail providers, or
 * multipart/form-data, the RFC's own example): `List-Unsubscribe=One-Click`. `form` is undefined for no form.
 */
export function checkOneClick(form: Record<string, unknown> | undefined): OneClickProblem | undefined {
  if (!form) return 'unsupported_media_type';
  const value = Object.hasOwn(form, 'List-Unsubscribe') ? form['List-Unsubscribe'] : undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.includes('One-Click') ? undefined : 'missing_one_click';
}

export interface OptOutDeps {
  secret: string;
  marketing: MarketingOptOutStore;
  /** CRM's consent of the same purpose, withdrawn with the list (P5, Art. 7(3)) */
  consents: ConsentWithdrawals;
  audit: AuditLog;
  delivery: NoticeDelivery;
  now: () => Date;
}

export interface OptOutResult {
  /** the pseudonymous opt-out id (audit chain, notices) */
  id: string;
  /** false for a repeat: nothing was left to change */
  changed: boolean;
  removed: number;
  /** CRM consents recorded as withdrawn now (0 for a repeat, or for an address that is no customer) */
  withdrawn: number;
  notified: number;
  acknowledged: number;
}

/**
 * Carries out a one-click opt-out: suppress first (an import running now cannot slip the address back in), then
 * take it off the list, record CRM's consent for that list as withdrawn (date, channel `one_click`), so a later
 * access report tells the truth, then tell the processor of that list. Idempotent: a repeat changes nothing,
 * writes no audit entry, and re-sends the notice (same Idempotency-Key) only while the processor has not
 * acknowledged it.
 */
export async function optOut(deps: OptOutDeps, target: UnsubscribeTarget): Promise<OptOutResult> {
  const ref = subjectRef(deps.secret, target.email);
  const id = optOutId(ref, target.list);
  const already = await deps.marketing.isSuppressed(ref, target.list);
  if (!already) await deps.marketing.suppress(ref, target.list, deps.now());
  const removed = await deps.marketing.removeFromList(target.email, target.list);
  // The list's name is the consent's purpose in CRM; someone on the list only (a prospect) has none.
  const withdrawn = await deps.consents.withdraw(target.email, target.list, {
    at: deps.now(),
    channel: 'one_click',
    by: id,
  });
  const changed = !already || removed > 0 || withdrawn > 0;
  if (changed) {
    await deps.audit.append(id, {
      actor: 'subject',
      action: 'optout.received',
      details: {
        list: target.list,
        channel: 'one_click',
        removed,
        suppressed: true,
        consentsWithdrawn: withdrawn,
      },
    });
  }
  const delivered = await deliverNotices(
    deps.delivery,
    { kind: 'optout', id },
    noticesForOptOut({ id, email: target.email, list: target.list, at: deps.now() }),
  );
  if (delivered.sent.length > 0) {
    // Concurrent opt-outs of one address deliver one notice: one entry says so.
    const details = { notices: Object.fromEntries(delivered.sent.map((n) => [n.recipientId, n.status])) };
    await deps.audit.append(id, {
      actor: 'system',
      action: 'recipients.notified',
      details,
      fact: factOf('recipients.notified', Object.keys(details.notices).sort()),
    });
  }
  return {
    id,
    changed,
    removed,
    withdrawn,
    notified: delivered.notified,
    acknowledged: delivered.acknowledged,
  };
}
