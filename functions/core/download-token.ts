// Downloads (P7, DESIGN "Downloads"): a presigned S3 URL dies with the Lambda role's credentials, so an e-mail
// carries a signed, expiring, single-subject token instead; the download route checks it and redirects to a
// presigned URL valid for minutes. The token names the file by kind only: the key comes from the request record.
import { createHmac } from 'node:crypto';
import * as z from 'zod';
import type { AuditLog, RequestStore } from './ports.ts';
import type { RequestRecord } from './request.ts';
import { RequestId } from './schemas.ts';
import { derive, safeEqual } from './secrets.ts';

/** How long a download link lives, and so how long the assembled files are kept (infra EXPORT_EXPIRY_DAYS). */
export const DOWNLOAD_TTL_DAYS = 7;
/** How long the presigned S3 URL behind a redirect lives. */
export const PRESIGNED_TTL_SECONDS = 300;

export type DownloadFile = 'package' | 'report';
/** Who the link was made for: the subject, or the organisation they named (Art. 20(2)). */
export type DownloadAudience = 'subject' | 'recipient';

export interface DownloadClaims {
  requestId: string;
  file: DownloadFile;
  subjectRef: string;
  audience: DownloadAudience;
  /** ISO 8601 instant after which the link answers 410 */
  expiresAt: string;
}

// Short keys keep the link short; `v` lets a later format coexist.
const Payload = z.strictObject({
  v: z.literal(1),
  r: RequestId,
  f: z.enum(['p', 'r']),
  a: z.enum(['s', 'o']),
  s: z.string().min(1).max(64),
  e: z.number().int().positive(),
});

// A key of its own (secrets.ts derive), so no other token can be replayed as a download.
function mac(secret: string, payload: string): string {
  return createHmac('sha256', derive(secret, 'download')).update(payload).digest('base64url');
}

/** Signs a download token: base64url(payload) "." base64url(HMAC-SHA256). */
export function downloadToken(secret: string, claims: DownloadClaims): string {
  const payload = Buffer.from(
    JSON.stringify({
      v: 1,
      r: claims.requestId,
      f: claims.file === 'package' ? 'p' : 'r',
      a: claims.audience === 'subject' ? 's' : 'o',
      s: claims.subjectRef,
      e: Math.floor(Date.parse(claims.expiresAt) / 1000),
    }),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

export type TokenCheck = { ok: true; claims: DownloadClaims } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks a token's signature (constant time), then its shape, then its expiry. */
export function verifyDownloadToken(secret: string, token: string, now: Date): TokenCheck {
  const match = /^([A-Za-z0-9_-]{16,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'invalid' };
  const [, payload = '', signature = ''] = match;
  if (!safeEqual(mac(secret, payload), signature)) return { ok: false, reason: 'invalid' };
  let parsed: z.infer<typeof Payload>;
  try {
    parsed = Payload.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (parsed.e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: {
      requestId: parsed.r,
      file: parsed.f === 'p' ? 'package' : 'report',
      subjectRef: parsed.s,
      audience: parsed.a === 's' ? 'subject' : 'recipient',
      expiresAt: new Date(parsed.e * 1000).toISOString(),
    },
  };
}

/** The link as it goes into an e-mail. */
export const downloadUrl = (publicBaseUrl: string, token: string) =>
  `${publicBaseUrl.replace(/\/+$/, '')}/downloads/${token}`;

/** What the presigner needs to name the file for the browser. */
export interface DownloadTarget {
  key: string;
  file: DownloadFile;
  requestId: string;
  type: RequestRecord['type'];
}

export interface DownloadDeps {
  store: RequestStore;
  audit: AuditLog;
  secret: string;
  now: () => Date;
  /** a presigned GET of the object, valid for PRESIGNED_TTL_SECONDS */
  presign(target: DownloadTarget): Promise<string>;
}

/** A redirect to the file, or why not (the API answers 403, 410 or 404 for these). */
export type DownloadAnswer =
  | { kind: 'redirect'; location: string }
  | { kind: 'refused'; refusal: { reason: 'download_invalid' | 'download_expired' | 'download_not_found' } };

const INVALID = { kind: 'refused', refusal: { reason: 'download_invalid' } } as const;
const EXPIRED = { kind: 'refused', refusal: { reason: 'download_expired' } } as const;
const NOT_FOUND = { kind: 'refused', refusal: { reason: 'download_not_found' } } as const;

/** Checks a download token against the request it names and answers a redirect to the file, or a refusal. */
export async function resolveDownload(deps: DownloadDeps, token: string): Promise<DownloadAnswer> {
  const now = deps.now();
  const check = verifyDownloadToken(deps.secret, token, now);
  if (!check.ok) return check.reason === 'expired' ? EXPIRED : INVALID;
  const { claims } = check;
  const r = await deps.store.get(claims.requestId);
  if (!r) return NOT_FOUND;
  // Single subject: a token made for one subject never opens another's files, even with a valid signature.
  if (!safeEqual(r.subjectRef, claims.subjectRef)) return INVALID;
  if (claims.audience === 'recipient' && !r.recipient?.confirmedAt) return INVALID;
  const pkg = r.package;
  const key = claims.file === 'package' ? pkg?.key : pkg?.reportKey;
  if (!pkg || !key) return NOT_FOUND;
  if (Date.parse(pkg.expiresAt) <= now.getTime()) return EXPIRED;
  await deps.audit.append(r.id, {
    actor: 'subject',
    action: 'download.fetched',
    details: { file: claims.file, audience: claims.audience },
  });
  return {
    kind: 'redirect',
    location: await deps.presign({ key, file: claims.file, requestId: r.id, type: r.type }),
  };
}
