// The small parts of the local runtime: long timers, staff tokens, SES's mailbox simulator, the data directory.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
  it('chains timers beyond the cap and fires once, at the deadline', async () => {
    const started = Date.now();
    const fired = await new Promise<number>((done) =>
      setLongTimeout(() => done(Date.now() - started), 120, 25),
    );
    expect(fired).toBeGreaterThanOrEqual(115);
  });

  it('can be cancelled', async () => {
    let fired = false;
    const timer = setLongTimeout(
      () => {
        fired = true;
      },
      60,
      20,
    );
    timer.cancel();
    await new Promise((r) => setTimeout(r, 120));
    expect(fired).toBe(false);
  });
});

describe('Local runtime: staff tokens', () => {
  it('signs tokens the verifier accepts, with one role as the Cognito group', async () => {
    const key = loadStaffKey(tempDir());
    const payload = await verifyStaffToken(key, await signStaffToken(key, { role: 'admin', sub: 'kim' }));
    expect(payload).toMatchObject({ sub: 'kim', 'cognito:groups': ['admin'], token_use: 'id' });
    expect(authorizerClaims(payload)['cognito:groups']).toBe('admin');
  });

  it('keeps one key per data directory', () => {
    const dir = tempDir();
    expect(loadStaffKey(dir)).toEqual(loadStaffKey(dir));
  });

  it('refuses expired tokens, tokens of another key and unknown roles', async () => {
    const key = loadStaffKey(tempDir());
    const expired = await signStaffToken(key, { role: 'viewer', ttlSeconds: -10 });
    await expect(verifyStaffToken(key, expired)).rejects.toThrow();
    const foreign = await signStaffToken(loadStaffKey(tempDir()), { role: 'viewer' });
    await expect(verifyStaffToken(key, foreign)).rejects.toThrow();
    await expect(signStaffToken(key, { role: 'root' as never })).rejects.toThrow(/Unknown role/);
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
    const [bounce] = simulate(mail('bounce@simulator.amazonses.com'), options);
    expect(bounce).toMatchObject({
      'detail-type': 'Email Bounced',
      source: 'aws.ses',
      detail: {
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bounceSubType: 'General' },
        mail: { messageId: 'm-1' },
      },
    });
    const [suppressed] = simulate(mail('Name <suppressionlist@simulator.amazonses.com>'), options);
    expect(suppressed?.detail).toMatchObject({ bounce: { bounceSubType: 'OnAccountSuppressionList' } });
  });

  it('turns mail to complaint@ into a complaint, and other mail into nothing', () => {
    expect(simulate(mail('complaint+label@simulator.amazonses.com'), options)[0]).toMatchObject({
      'detail-type': 'Email Complaint Received',
      detail: { eventType: 'Complaint', complaint: { complaintFeedbackType: 'abuse' } },
    });
    expect(simulate(mail('an@example.be'), options)).toEqual([]);
  });
});

describe('Local runtime: data directory', () => {
  it('starts over on --fresh but keeps the staff signing key', () => {
    const dir = tempDir();
    prepareDataDir(dir, false);
    const key = loadStaffKey(dir);
    writeFileSync(join(dir, 'app-secret.json'), '{}');
    mkdirSync(join(dir, 'dynamodb'));
    prepareDataDir(dir, true);
    expect(existsSync(join(dir, 'app-secret.json'))).toBe(false);
    expect(existsSync(join(dir, 'dynamodb'))).toBe(false);
    expect(loadStaffKey(dir)).toEqual(key);
  });

  it('refuses a directory that holds something else', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'thesis.docx'), 'precious');
    expect(() => prepareDataDir(dir, true)).toThrow(/not a data directory of this runtime/);
    expect(existsSync(join(dir, 'thesis.docx'))).toBe(true);
  });
});
