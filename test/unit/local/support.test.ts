// The small parts of the local runtime: long timers, staff tokens, SES's mailbox simulator, the data directory.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { prepareDataDir } from '../../../local/runtime.ts';
import { simulate } from '../../../local/ses.ts';
import {
  authorizerClaims,
  loadStaffKey,
  signStaffToken,
  verifyStaffToken,
} from '../../../local/staff-auth.ts';
import { setLongTimeout } from '../../../local/timers.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'jsm-local-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('Local runtime: long timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('chains timers beyond the cap and fires once, at the deadline', async () => {
    // Prepare: a 120 ms wait on timers capped at 25 ms, on the fake clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const started = Date.now();
    let firedAfter: number | undefined;
    let firings = 0;
    setLongTimeout(
      () => {
        firings++;
        firedAfter = Date.now() - started;
      },
      120,
      25,
    );
    // Act
    await vi.advanceTimersByTimeAsync(119);
    const early = firings;
    await vi.advanceTimersByTimeAsync(1000);
    // Assess
    expect(early).toBe(0);
    expect(firings).toBe(1);
    expect(firedAfter).toBeGreaterThanOrEqual(115);
  });

  it('can be cancelled', async () => {
    // Prepare: a 60 ms wait on timers capped at 20 ms, on the fake clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let fired = false;
    const timer = setLongTimeout(
      () => {
        fired = true;
      },
      60,
      20,
    );
    // Act
    timer.cancel();
    await vi.advanceTimersByTimeAsync(120);
    // Assess
    expect(fired).toBe(false);
  });
});

describe('Local runtime: staff tokens', () => {
  it('signs tokens the verifier accepts, with one role as the Cognito group', async () => {
    // Prepare
    const key = loadStaffKey(tempDir());
    // Act
    const payload = await verifyStaffToken(key, await signStaffToken(key, { role: 'admin', sub: 'kim' }));
    // Assess
    expect(payload).toMatchObject({ sub: 'kim', 'cognito:groups': ['admin'], token_use: 'id' });
    expect(authorizerClaims(payload)['cognito:groups']).toBe('admin');
  });

  it('keeps one key per data directory', () => {
    // Prepare
    const dir = tempDir();
    // Act
    const first = loadStaffKey(dir);
    const second = loadStaffKey(dir);
    // Assess
    expect(first).toEqual(second);
  });

  it('refuses expired tokens, tokens of another key and unknown roles', async () => {
    // Prepare: an expired token, and one signed with the key of another data directory.
    const key = loadStaffKey(tempDir());
    const expired = await signStaffToken(key, { role: 'viewer', ttlSeconds: -10 });
    const foreign = await signStaffToken(loadStaffKey(tempDir()), { role: 'viewer' });
    // Act
    const expiredVerified = verifyStaffToken(key, expired);
    // Assess
    await expect(expiredVerified).rejects.toThrow();
    // Act
    const foreignVerified = verifyStaffToken(key, foreign);
    // Assess
    await expect(foreignVerified).rejects.toThrow();
    // Act
    const rootSigned = signStaffToken(key, { role: 'root' as never });
    // Assess
    await expect(rootSigned).rejects.toThrow(/Unknown role/);
  });
});

describe('Local runtime: SES mailbox simulator', () => {
  const mail = (to: string) => ({
    messageId: 'm-1',
    from: 'privacy@jsm.be',
    destination: { to: [to], cc: [], bcc: [] },
    subject: 'Hello',
    at: 1_700_000_000,
  });
  const options = { region: 'eu-west-1', accountId: '000000000000', configurationSet: 'cs' };

  it('turns mail to bounce@ and suppressionlist@ into permanent bounces', () => {
    // Prepare: mails built by `mail` above, to simulator and ordinary addresses.
    // Act
    const [bounce] = simulate(mail('bounce@simulator.amazonses.com'), options);
    const [suppressed] = simulate(mail('Name <suppressionlist@simulator.amazonses.com>'), options);
    // Assess
    expect(bounce).toMatchObject({
      'detail-type': 'Email Bounced',
      source: 'aws.ses',
      detail: {
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bounceSubType: 'General' },
        mail: { messageId: 'm-1' },
      },
    });
    expect(suppressed?.detail).toMatchObject({ bounce: { bounceSubType: 'OnAccountSuppressionList' } });
  });

  it('turns mail to complaint@ into a complaint, and other mail into nothing', () => {
    // Prepare: mails built by `mail` above, to simulator and ordinary addresses.
    // Act
    const [complaint] = simulate(mail('complaint+label@simulator.amazonses.com'), options);
    const other = simulate(mail('an@example.be'), options);
    // Assess
    expect(complaint).toMatchObject({
      'detail-type': 'Email Complaint Received',
      detail: { eventType: 'Complaint', complaint: { complaintFeedbackType: 'abuse' } },
    });
    expect(other).toEqual([]);
  });
});

describe('Local runtime: data directory', () => {
  it('starts over on --fresh but keeps the staff signing key', () => {
    // Prepare: a data directory with a key, a secret and a database.
    const dir = tempDir();
    prepareDataDir(dir, false);
    const key = loadStaffKey(dir);
    writeFileSync(join(dir, 'app-secret.json'), '{}');
    mkdirSync(join(dir, 'dynamodb'));
    // Act
    prepareDataDir(dir, true);
    // Assess
    expect(existsSync(join(dir, 'app-secret.json'))).toBe(false);
    expect(existsSync(join(dir, 'dynamodb'))).toBe(false);
    expect(loadStaffKey(dir)).toEqual(key);
  });

  it('refuses a directory that holds something else', () => {
    // Prepare: a directory with someone's file in it.
    const dir = tempDir();
    writeFileSync(join(dir, 'thesis.docx'), 'precious');
    // Act
    const fresh = () => prepareDataDir(dir, true);
    // Assess: refused, and the file is still there.
    expect(fresh).toThrow(/not a data directory of this runtime/);
    expect(existsSync(join(dir, 'thesis.docx'))).toBe(true);
  });
});
