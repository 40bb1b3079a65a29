// Local stand-in for the Cognito hosted login: three staff users, one per role, who sign in on the console's form
// and get a token of the same shape as a Cognito ID token (staff-auth.ts). Local only: the password is the one
// documented in the README unless LOCAL_STAFF_PASSWORD sets another; on AWS the user pool is the only login.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Role } from '../functions/registry.ts';
import { signStaffToken } from './staff-auth.ts';

export const DEFAULT_STAFF_PASSWORD = 'local-demo-password';
const TOKEN_TTL_SECONDS = 8 * 3600;
/** Failed sign-ins a source may make per window before it must wait (the hosted UI limits them too). */
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;

/** The local staff users (user name = role) and their shared password. */
export const LOCAL_STAFF = {
  users: { viewer: 'viewer', approver: 'approver', admin: 'admin' } as Readonly<Record<string, Role>>,
  password: process.env.LOCAL_STAFF_PASSWORD || DEFAULT_STAFF_PASSWORD,
};

export type LoginAnswer =
  | { ok: true; body: { idToken: string; expiresIn: number } }
  | { ok: false; problem: 'invalid-credentials' | 'invalid-request' | 'rate-limited' };

export interface LocalLogin {
  /** Checks `{username, password}` from `source`; answers a token, or why not (same answer for any bad pair). */
  signIn(body: Buffer, source: string): Promise<LoginAnswer>;
}

interface Hashed {
  salt: Buffer;
  hash: Buffer;
  role?: Role;
}

const hashOf = (password: string, salt: Buffer): Promise<Buffer> =>
  new Promise((done, fail) => scrypt(password, salt, 32, (e, key) => (e ? fail(e) : done(key))));

/** Builds the login; the passwords are hashed once here, so a check compares hashes only. */
export function createLocalLogin(
  staffKey: Uint8Array,
  options: { password?: string; now?: () => number } = {},
): LocalLogin {
  const password = options.password ?? LOCAL_STAFF.password;
  const now = options.now ?? Date.now;
  const users = new Map<string, Hashed>();
  for (const [name, role] of Object.entries(LOCAL_STAFF.users)) {
    const salt = randomBytes(16);
    users.set(name, { salt, hash: scryptSync(password, salt, 32), role });
  }
  // An unknown user is checked against this, so it costs the same time as a known one with a wrong password.
  const decoySalt = randomBytes(16);
  const decoy = { salt: decoySalt, hash: scryptSync(randomBytes(16).toString('hex'), decoySalt, 32) };
  const failures = new Map<string, { count: number; until: number }>();

  return {
    async signIn(raw, source) {
      const seen = failures.get(source);
      if (seen && seen.until <= now()) failures.delete(source);
      if ((failures.get(source)?.count ?? 0) >= MAX_FAILURES) return { ok: false, problem: 'rate-limited' };
      let input: { username?: unknown; password?: unknown };
      try {
        input = JSON.parse(raw.toString('utf8')) as typeof input;
      } catch {
        return { ok: false, problem: 'invalid-request' };
      }
      if (
        typeof input?.username !== 'string' ||
        typeof input.password !== 'string' ||
        input.password.length > 1024
      )
        return { ok: false, problem: 'invalid-request' };
      const user = users.get(input.username);
      const stored = user ?? decoy;
      const given = await hashOf(input.password, stored.salt);
      const role = user?.role;
      if (!timingSafeEqual(given, stored.hash) || !role) {
        const entry = failures.get(source) ?? { count: 0, until: now() + FAILURE_WINDOW_MS };
        entry.count += 1;
        failures.set(source, entry);
        return { ok: false, problem: 'invalid-credentials' };
      }
      const idToken = await signStaffToken(staffKey, {
        role,
        sub: `local-${input.username}`,
        ttlSeconds: TOKEN_TTL_SECONDS,
      });
      return { ok: true, body: { idToken, expiresIn: TOKEN_TTL_SECONDS } };
    },
  };
}
