// The local staff sign-in (issue 9): the console's stand-in for Cognito's hosted login, with the same token shape.
import { describe, expect, it } from 'vitest';
import { verifyStaffToken } from '../../../local/staff-auth.ts';
import { createLocalLogin, LOCAL_STAFF } from '../../../local/staff-users.ts';

const key = new Uint8Array(32).fill(7);
const body = (username: string, password: string) => Buffer.from(JSON.stringify({ username, password }));

describe('Local staff sign-in', () => {
  it('signs an approver in with a token of the Cognito ID-token shape, the role as its group', async () => {
    // Prepare
    const login = createLocalLogin(key, { password: 'right-password' });
    // Act
    const answer = await login.signIn(body('approver', 'right-password'), '10.0.0.1');
    // Assess
    expect(answer.ok).toBe(true);
    const token = answer.ok ? answer.body.idToken : '';
    const claims = await verifyStaffToken(key, token);
    expect(claims['cognito:groups']).toEqual(['approver']);
    expect(claims.token_use).toBe('id');
  });

  it('answers an unknown user exactly as a wrong password, and never for a name the object prototype has', async () => {
    // Prepare
    const login = createLocalLogin(key, { password: 'right-password' });
    // Act
    const answers = await Promise.all(
      [
        body('approver', 'wrong'),
        body('nobody', 'right-password'),
        body('constructor', 'right-password'),
      ].map((b) => login.signIn(b, '10.0.0.2')),
    );
    // Assess
    expect(answers).toEqual(Array(3).fill({ ok: false, problem: 'invalid-credentials' }));
  });

  it('stops a source after ten failed attempts for fifteen minutes, even with the right password then', async () => {
    // Prepare
    let now = Date.parse('2026-11-25T09:00:00Z');
    const login = createLocalLogin(key, { password: 'right-password', now: () => now });
    for (let i = 0; i < 10; i++) await login.signIn(body('admin', `guess-${i}`), '10.0.0.3');
    // Act
    const blocked = await login.signIn(body('admin', 'right-password'), '10.0.0.3');
    const other = await login.signIn(body('admin', 'right-password'), '10.0.0.4');
    now += 15 * 60_000;
    const later = await login.signIn(body('admin', 'right-password'), '10.0.0.3');
    // Assess
    expect(blocked).toEqual({ ok: false, problem: 'rate-limited' });
    expect(other.ok).toBe(true);
    expect(later.ok).toBe(true);
  });

  it('refuses a body that is not a user name and password, without counting it as a guess', async () => {
    // Prepare
    const login = createLocalLogin(key);
    // Act
    const answer = await login.signIn(Buffer.from('{"username":1}'), '10.0.0.5');
    // Assess
    expect(answer).toEqual({ ok: false, problem: 'invalid-request' });
    expect(Object.keys(LOCAL_STAFF.users).sort()).toEqual(['admin', 'approver', 'viewer']);
  });
});
