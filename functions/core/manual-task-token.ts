// The owner's link to one manual task (P16, P17): a JWT (jose, HS256) under a key of its own, naming the request,
// the system, the operation and the attempt by ids only. It is the owner's only authority, so it lives until a
// week after the request's due date and stands for one task: a link for another task, system or attempt is not it.
import { errors, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import { ManualOperation } from '../connectors/generic/manual/config.ts';
import { RequestId } from './schemas.ts';
import { derive } from './secrets.ts';

/** How long after the due date the link still opens: the owner may answer a late task, staff see it overdue. */
export const TASK_LINK_MARGIN_DAYS = 7;
const AUDIENCE = 'jsm-privacy:manual-task';

export interface TaskClaims {
  requestId: string;
  system: string;
  operation: ManualOperation;
  attempt: number;
}

const Claims = z.object({
  r: RequestId,
  s: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/),
  o: ManualOperation,
  a: z.number().int().min(0),
});

const key = (secret: string) => new Uint8Array(derive(secret, 'manual-task'));

/** When a task's link stops opening: the request's due date plus the margin. */
export const linkExpiry = (dueAt: string) => new Date(Date.parse(dueAt) + TASK_LINK_MARGIN_DAYS * 86_400_000);

/** Signs the link of one task; the same task and due date always give a link that reads the same. */
export async function taskToken(secret: string, claims: TaskClaims, dueAt: string): Promise<string> {
  return new SignJWT({ r: claims.requestId, s: claims.system, o: claims.operation, a: claims.attempt })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(AUDIENCE)
    .setExpirationTime(Math.floor(linkExpiry(dueAt).getTime() / 1000))
    .sign(key(secret));
}

export type TaskTokenCheck = { ok: true; claims: TaskClaims } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks a link's signature, audience, shape and expiry at `now`; says nothing more about a bad one. */
export async function readTaskToken(secret: string, token: string, now: Date): Promise<TaskTokenCheck> {
  if (typeof token !== 'string' || token.length > 600 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token))
    return { ok: false, reason: 'invalid' };
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
      currentDate: now,
    });
    const c = Claims.safeParse(payload);
    if (!c.success) return { ok: false, reason: 'invalid' };
    return {
      ok: true,
      claims: { requestId: c.data.r, system: c.data.s, operation: c.data.o, attempt: c.data.a },
    };
  } catch (e) {
    return { ok: false, reason: e instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}
