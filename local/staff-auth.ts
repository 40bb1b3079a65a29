// Local stand-in for the Cognito user pool behind the staff API: tokens of the same shape as a Cognito ID token,
// signed with a key kept in the data directory, checked the way API Gateway's Cognito authorizer checks them.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../functions/registry.ts';

export const STAFF_ROLES: readonly Role[] = ['viewer', 'approver', 'admin'];
export const STAFF_ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_LOCAL';
export const STAFF_AUDIENCE = 'local-staff-console';
export const STAFF_KEY_FILE = 'staff-jwt.key';

/** Loads the signing key of the data directory, creating it on first use (the runtime and the CLI share it). */
export function loadStaffKey(dataDir: string): Uint8Array {
  const path = join(dataDir, STAFF_KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    // wx: when two processes race, the second keeps the first one's key
    try {
      writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return new Uint8Array(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url'));
}

export interface StaffTokenOptions {
  role: Role;
  sub?: string;
  email?: string;
  ttlSeconds?: number;
}

/** Signs a token shaped like a Cognito ID token: one group, the role. */
export async function signStaffToken(key: Uint8Array, options: StaffTokenOptions): Promise<string> {
  if (!STAFF_ROLES.includes(options.role))
    throw new Error(`Unknown role ${options.role}; use ${STAFF_ROLES.join(', ')}`);
  const sub = options.sub ?? `local-${options.role}`;
  const nowSeconds = Math.floor(Date.now() / 1000);
  return new SignJWT({
    'cognito:groups': [options.role],
    'cognito:username': sub,
    email: options.email ?? `${sub}@jsm.be`,
    email_verified: true,
    token_use: 'id',
    auth_time: nowSeconds,
  })
    .setProtectedHeader({ alg: 'HS256', kid: 'local', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(STAFF_ISSUER)
    .setAudience(STAFF_AUDIENCE)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + (options.ttlSeconds ?? 8 * 3600))
    .sign(key);
}

/** Verifies a staff token (signature, issuer, audience, expiry, ID-token use); throws when it is not acceptable. */
export async function verifyStaffToken(key: Uint8Array, token: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, key, {
    issuer: STAFF_ISSUER,
    audience: STAFF_AUDIENCE,
    algorithms: ['HS256'],
    requiredClaims: ['sub', 'exp'],
  });
  if (payload.token_use !== 'id') throw new Error('not an ID token');
  return payload;
}

/**
 * The claims as API Gateway REST hands them to a Lambda behind a Cognito authorizer: every value a string,
 * times in Java's Date format, and `cognito:groups` one comma-separated string.
 */
export function authorizerClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (name === 'exp' || name === 'iat' || name === 'auth_time') claims[name] = javaDate(Number(value));
    else if (Array.isArray(value)) claims[name] = value.map(String).join(',');
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

// e.g. "Thu Apr 17 09:36:45 UTC 2025", as API Gateway renders numeric date claims
function javaDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const day = d.toLocaleString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${day} ${month} ${pad(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}
