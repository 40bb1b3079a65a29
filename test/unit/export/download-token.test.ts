import { describe, expect, it } from 'vitest';
import {
  type DownloadDeps,
  downloadToken,
  resolveDownload,
  verifyDownloadToken,
} from '../../../functions/core/download-token.ts';
import { memoryAudit, memoryStore } from '../../fixtures/fakes.ts';
import { downloadAnswer } from '../../fixtures/problems.ts';
import { NOW, REQUEST_ID, request, SECRET } from './fixtures.ts';

const DAY = 86_400_000;
const expiresAt = new Date(NOW.getTime() + 7 * DAY).toISOString();
const claims = {
  requestId: REQUEST_ID,
  file: 'package' as const,
  subjectRef: 's_an',
  audience: 'subject' as const,
  expiresAt,
};

async function setup(extra: Parameters<typeof request>[2] = {}) {
  const store = memoryStore();
  const audit = memoryAudit(() => NOW);
  await store.create(
    request('portability', 'nl', {
      package: {
        key: `exports/${REQUEST_ID}/1/package.zip`,
        sha256: 'a'.repeat(64),
        bytes: 123,
        expiresAt,
      },
      ...extra,
    }),
  );
  const presigned: string[] = [];
  let clock = NOW;
  const deps: DownloadDeps = {
    store,
    audit,
    secret: SECRET,
    now: () => clock,
    presign: async (target) => {
      presigned.push(target.key);
      return `https://s3.example/${target.key}?X-Amz-Expires=300`;
    },
  };
  return { deps, audit, presigned, setClock: (d: Date) => (clock = d) };
}

describe('Download token (P7)', () => {
  it('round-trips: a fresh token names the request, the file, the subject and the expiry', () => {
    // Prepare: the claims of a subject's package link
    // Act
    const token = downloadToken(SECRET, claims);
    const check = verifyDownloadToken(SECRET, token, NOW);
    // Assess
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(check).toEqual({ ok: true, claims });
  });

  it('refuses an altered token, whichever part was changed (P7)', () => {
    // Prepare: a valid token, and a payload forged for another subject
    const token = downloadToken(SECRET, claims);
    const [payload = '', signature = ''] = token.split('.');
    const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
    const forged = Buffer.from(
      JSON.stringify({ v: 1, r: REQUEST_ID, f: 'p', a: 's', s: 's_someone_else', e: 9_999_999_999 }),
    ).toString('base64url');
    const alterations = [
      `${flip(payload, 5)}.${signature}`,
      `${payload}.${flip(signature, 10)}`,
      `${forged}.${signature}`,
      `${payload}.`,
      token.slice(0, -1),
      '',
      'not-a-token',
    ];
    // Act
    const checks = alterations.map((altered) => verifyDownloadToken(SECRET, altered, NOW));
    const otherSecret = verifyDownloadToken('z'.repeat(48), token, NOW);
    // Assess
    checks.forEach((check, i) => {
      expect(check, alterations[i]).toEqual({ ok: false, reason: 'invalid' });
    });
    // Signed with another secret: just as invalid.
    expect(otherSecret).toEqual({ ok: false, reason: 'invalid' });
  });

  it('expires after its date (P7)', () => {
    // Prepare
    const token = downloadToken(SECRET, claims);
    // Act
    const before = verifyDownloadToken(SECRET, token, new Date(Date.parse(expiresAt) - 1000));
    const at = verifyDownloadToken(SECRET, token, new Date(expiresAt));
    // Assess
    expect(before.ok).toBe(true);
    expect(at).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('Download route logic (P7)', () => {
  it('redirects a valid token to a presigned URL of the recorded file and audits the fetch (P15)', async () => {
    // Prepare
    const { deps, audit, presigned } = await setup();
    // Act
    const answer = downloadAnswer(await resolveDownload(deps, downloadToken(SECRET, claims)));
    // Assess
    expect(answer).toEqual({
      kind: 'redirect',
      location: `https://s3.example/exports/${REQUEST_ID}/1/package.zip?X-Amz-Expires=300`,
    });
    expect(presigned).toEqual([`exports/${REQUEST_ID}/1/package.zip`]);
    const entry = audit.entries.at(-1);
    expect(entry).toMatchObject({
      action: 'download.fetched',
      details: { file: 'package', audience: 'subject' },
    });
    expect(JSON.stringify(audit.entries)).not.toContain('@');
  });

  it('answers 403 for an altered token and presigns nothing', async () => {
    // Prepare
    const { deps, presigned, audit } = await setup();
    const token = downloadToken(SECRET, claims);
    // Act
    const answer = downloadAnswer(await resolveDownload(deps, `${token.slice(0, 10)}x${token.slice(11)}`));
    // Assess
    expect(answer).toMatchObject({ kind: 'problem', status: 403, type: 'download-token-invalid' });
    expect(presigned).toEqual([]);
    expect(audit.entries).toEqual([]);
  });

  it('answers 410 download-expired after seven days (P7)', async () => {
    // Prepare
    const { deps, setClock, presigned } = await setup();
    const token = downloadToken(SECRET, claims);
    setClock(new Date(NOW.getTime() + 7 * DAY + 1000));
    // Act
    const answer = downloadAnswer(await resolveDownload(deps, token));
    // Assess
    expect(answer).toMatchObject({ kind: 'problem', status: 410, type: 'download-expired' });
    expect(presigned).toEqual([]);
  });

  it('refuses a token made for another subject, even correctly signed (single subject, P7)', async () => {
    // Prepare
    const { deps, presigned } = await setup();
    // Act
    const answer = downloadAnswer(
      await resolveDownload(deps, downloadToken(SECRET, { ...claims, subjectRef: 's_other' })),
    );
    // Assess
    expect(answer).toMatchObject({ kind: 'problem', status: 403 });
    expect(presigned).toEqual([]);
  });

  it('answers 404 when the request is unknown or has no such file', async () => {
    // Prepare
    const { deps } = await setup();
    // Act
    const unknown = downloadAnswer(
      await resolveDownload(
        deps,
        downloadToken(SECRET, { ...claims, requestId: 'r_0000000000000000000000' }),
      ),
    );
    const noReport = downloadAnswer(
      await resolveDownload(deps, downloadToken(SECRET, { ...claims, file: 'report' })),
    );
    // Assess
    expect(unknown).toMatchObject({ kind: 'problem', status: 404, type: 'download-not-found' });
    expect(noReport).toMatchObject({ kind: 'problem', status: 404 });
  });

  it('refuses a recipient link for a request that names no recipient organisation', async () => {
    // Prepare
    const { deps } = await setup();
    // Act
    const answer = downloadAnswer(
      await resolveDownload(deps, downloadToken(SECRET, { ...claims, audience: 'recipient' })),
    );
    // Assess
    expect(answer).toMatchObject({ kind: 'problem', status: 403 });
  });

  it.each([
    ['refuses', undefined, 403],
    ['serves', '2026-02-10T08:05:00.000Z', 302],
  ] as const)(
    '%s a recipient link by whether the subject confirmed the organisation when verifying (P7, Art. 20(2))',
    async (_, confirmedAt, status) => {
      // Prepare: a request naming an organisation, confirmed or not
      const recipient = { organisation: 'Nieuwe Telecom NV', email: 'dpo@nieuwetelecom.example' };
      const { deps, presigned } = await setup({
        recipient: { ...recipient, ...(confirmedAt ? { confirmedAt } : {}) },
      });
      // Act
      const answer = downloadAnswer(
        await resolveDownload(deps, downloadToken(SECRET, { ...claims, audience: 'recipient' })),
      );
      // Assess: only a confirmed organisation's link opens the package
      expect(answer.kind === 'redirect' ? 302 : answer.status).toBe(status);
      expect(presigned).toHaveLength(status === 302 ? 1 : 0);
    },
  );
});
