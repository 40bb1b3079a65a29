// One request of each type carried out to completion on a running runtime, plus the routes around them (downloads,
// staff views, a one-click opt-out), as the bundle and IAM checks need (test/integration/bundles.test.ts, iam.test.ts).
import { expect } from 'vitest';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { call, eventually, inbox } from './api.ts';
import { download, linksIn } from './downloads.ts';
import { approveAndFinish, fileAndVerify } from './requests.ts';
import type { Runtime } from './runtime.ts';

const { an, luc, jan, pieter, sophie, noor } = DEMO_CUSTOMERS;

/** One request of each right, each for another demo subject, so they run side by side. */
export const EVERY_RIGHT = [
  { type: 'access', email: an.email, language: 'nl' },
  { type: 'portability', email: luc.email, language: 'fr' },
  { type: 'rectification', email: jan.email, language: 'nl', changes: { phone: '+32 470 11 22 33' } },
  { type: 'erasure', email: pieter.email, language: 'en' },
  { type: 'objection', email: sophie.email, language: 'fr', scope: ['direct_marketing'] },
] as const;

/** Carries out every right to its end; answers each request's final status and id by type. */
export async function carryOutEveryRight(
  rt: Runtime,
): Promise<Record<string, { status: string; id: string }>> {
  const done = await Promise.all(
    EVERY_RIGHT.map(async (body) => {
      const { id, token } = await fileAndVerify(rt, { ...body }, [body.email]);
      const { done } = await approveAndFinish(rt, id, token);
      return [body.type, done.status as string, id] as const;
    }),
  );
  return Object.fromEntries(done.map(([type, status, id]) => [type, { status, id }]));
}

/** Follows the download links the access and portability subjects were sent (P1, P7); answers the bytes fetched. */
export async function downloadEveryPackage(rt: Runtime): Promise<number> {
  let bytes = 0;
  for (const email of [an.email, luc.email]) {
    const mail = await eventually(
      async () =>
        (await inbox(rt.sesUrl)).find((m) => m.destination.to.includes(email) && linksIn(m).length > 0),
      20_000,
      `a download link to ${email.split('@')[0]}`,
    );
    for (const link of linksIn(mail)) bytes += (await download(link)).body.length;
  }
  return bytes;
}

/** Staff list and open a request, and a subject opts out in one click (P5, P15). */
export async function staffAndOptOut(rt: Runtime, requestId: string): Promise<void> {
  const viewer = await rt.staffToken('viewer');
  expect((await call(rt.apiUrl, 'GET', '/admin/requests', { token: viewer })).status).toBe(200);
  expect((await call(rt.apiUrl, 'GET', `/admin/requests/${requestId}`, { token: viewer })).status).toBe(200);
  const link = await call(rt.apiUrl, 'POST', '/admin/unsubscribe-links', {
    token: await rt.staffToken('admin'),
    body: { email: noor.email, list: 'newsletter' },
  });
  expect(link.status).toBe(200);
  const path = new URL(link.json.url as string).pathname;
  expect((await call(rt.apiUrl, 'GET', path)).status).toBe(200);
  const click = await call(rt.apiUrl, 'POST', path, {
    body: 'List-Unsubscribe=One-Click',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(click.status).toBe(200);
}
