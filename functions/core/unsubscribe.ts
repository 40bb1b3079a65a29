// One-click opt-out (PROMISES P5, RFC 8058). The pipeline issues one signed unsubscribe URL per address and list
// for the e-mail marketing processor to put in its mailings; a POST to it (no login, no code) takes the address
// off the list, suppresses it against later imports (keyed hash, never the address) and tells the processor.
//
// The token must carry the address: the opt-out has to reach the processor, which knows subscribers by address,
// and nothing in our stores maps a keyed hash back to one. Because URLs end up in access logs, mail scanners and
// browser histories, the address travels encrypted (AES-256-CTR), and the whole token is authenticated with an
// HMAC (encrypt-then-MAC). The IV is an HMAC of the content, so the same address, list and language always give
// the same URL: a processor may issue it again for every mailing, and equal URLs reveal only equality.
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import type { NoticeDelivery } from './notifications.ts';
import { deliverNotices, noticesForOptOut } from './notifications.ts';
import type { AuditLog } from './ports.ts';
import { Email, Language } from './schemas.ts';
import { derive, safeEqual, subjectRef } from './secrets.ts';
import { MarketingList } from './suppression.ts';

/** What one unsubscribe URL stands for: one address, one list, and the language of its pages (P18). */
export interface UnsubscribeTarget {
  email: string;
  list: MarketingList;
  language: Language;
}

const VERSION = 1;
// Stable one-byte codes: a token issued today must still read after a list or language is added.
const LIST_CODES: Record<MarketingList, number> = { newsletter: 1, direct_mailing: 2 };
const LANGUAGE_CODES: Record<Language, number> = { nl: 1, fr: 2, en: 3 };
const IV_BYTES = 16;
const MAC_BYTES = 16;
const HEADER_BYTES = 3;
// 254 is the longest address (RFC 5321); anything longer cannot be one of ours.
const MAX_TOKEN_CHARS = Math.ceil(((HEADER_BYTES + IV_BYTES + 254 + MAC_BYTES) * 4) / 3);

// Each purpose has its own key (secrets.ts derive), so no other token or hash can be replayed as an unsubscribe token.

const keys = (secret: string) => ({
  iv: derive(secret, 'unsubscribe:iv'),
  enc: derive(secret, 'unsubscribe:enc'),
  mac: derive(secret, 'unsubscribe:mac'),
});

const hmac = (key: Buffer, ...parts: Buffer[]) => {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
};

const byCode = <K extends string>(codes: Record<K, number>, code: number | undefined): K | undefined =>
  (Object.entries(codes) as [K, number][]).find(([, c]) => c === code)?.[0];

/** Signs an unsubscribe token for one address and list (base64url, about 75 characters for a short address). */
export function unsubscribeToken(secret: string, target: UnsubscribeTarget): string {
  const email = Email.parse(target.email);
  const k = keys(secret);
  const header = Buffer.from([VERSION, LIST_CODES[target.list], LANGUAGE_CODES[target.language]]);
  const plain = Buffer.from(email, 'utf8');
  const iv = hmac(k.iv, header, plain).subarray(0, IV_BYTES);
  const cipher = createCipheriv('aes-256-ctr', k.enc, iv);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = hmac(k.mac, header, iv, encrypted).subarray(0, MAC_BYTES);
  return Buffer.concat([header, iv, encrypted, mac]).toString('base64url');
}

/** Reads a token; undefined when it is malformed, forged or altered in any bit (nothing more is said). */
export function readUnsubscribeToken(secret: string, token: string): UnsubscribeTarget | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token))
    return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < HEADER_BYTES + IV_BYTES + 3 + MAC_BYTES) return undefined;
  const header = raw.subarray(0, HEADER_BYTES);
  const iv = raw.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const encrypted = raw.subarray(HEADER_BYTES + IV_BYTES, raw.length - MAC_BYTES);
  const mac = raw.subarray(raw.length - MAC_BYTES);
  const k = keys(secret);
  const expected = hmac(k.mac, header, iv, encrypted).subarray(0, MAC_BYTES);
  if (!safeEqual(mac.toString('base64url'), expected.toString('base64url'))) return undefined;
  const list = byCode(LIST_CODES, header[1]);
  const language = byCode(LANGUAGE_CODES, header[2]);
  if (header[0] !== VERSION || !list || !language) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', k.enc, iv);
  const email = Buffer.concat([decipher.update(encrypted), decipher.final()]).toString('utf8');
  const parsed = Email.safeParse(email);
  return parsed.success && parsed.data === email ? { email, list, language } : undefined;
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
 * Checks an RFC 8058 POST body: `List-Unsubscribe=One-Click`, form-encoded (browsers, most mail providers) or
 * multipart/form-data (the RFC's own example). Parsed here because the body is no JSON.
 */
export function checkOneClickBody(contentType: string, body: string): OneClickProblem | undefined {
  const type = contentType.toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return new URLSearchParams(body).getAll('List-Unsubscribe').includes('One-Click')
      ? undefined
      : 'missing_one_click';
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) return 'missing_one_click';
    const found = body.split(`--${boundary}`).some((part) => {
      const [head = '', ...rest] = part.split(/\r?\n\r?\n/);
      return /name="List-Unsubscribe"/i.test(head) && rest.join('\n\n').trim() === 'One-Click';
    });
    return found ? undefined : 'missing_one_click';
  }
  return 'unsupported_media_type';
}

/** The marketing store as the opt-out needs it (functions/api/unsubscribe.ts gives the DynamoDB one). */
export interface MarketingOptOutStore {
  /** whether the subject's suppression entry already names the list */
  isSuppressed(subjectRef: string, list: MarketingList): Promise<boolean>;
  /** adds the list to the subject's suppression entry (keyed hash, reason `opt_out`) */
  suppress(subjectRef: string, list: MarketingList, now: Date): Promise<void>;
  /** takes every entry of the address off the list; answers how many there were */
  removeFromList(email: string, list: MarketingList): Promise<number>;
}

export interface OptOutDeps {
  secret: string;
  marketing: MarketingOptOutStore;
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
  notified: number;
  acknowledged: number;
}

/**
 * Carries out a one-click opt-out: suppress first (an import running now cannot slip the address back in), then
 * take it off the list, then tell the processor of that list. Idempotent: a repeat changes nothing, writes no
 * audit entry, and re-sends the notice (same Idempotency-Key) only while the processor has not acknowledged it.
 */
export async function optOut(deps: OptOutDeps, target: UnsubscribeTarget): Promise<OptOutResult> {
  const ref = subjectRef(deps.secret, target.email);
  const id = optOutId(ref, target.list);
  const already = await deps.marketing.isSuppressed(ref, target.list);
  if (!already) await deps.marketing.suppress(ref, target.list, deps.now());
  const removed = await deps.marketing.removeFromList(target.email, target.list);
  const changed = !already || removed > 0;
  if (changed) {
    await deps.audit.append(id, {
      actor: 'subject',
      action: 'optout.received',
      details: { list: target.list, channel: 'one_click', removed, suppressed: true },
    });
  }
  const delivered = await deliverNotices(
    deps.delivery,
    { kind: 'optout', id },
    noticesForOptOut({ id, email: target.email, list: target.list, at: deps.now() }),
  );
  if (delivered.sent.length > 0) {
    await deps.audit.append(id, {
      actor: 'system',
      action: 'recipients.notified',
      details: { notices: Object.fromEntries(delivered.sent.map((n) => [n.recipientId, n.status])) },
    });
  }
  return { id, changed, removed, notified: delivered.notified, acknowledged: delivered.acknowledged };
}
