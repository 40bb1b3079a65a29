// `npm run screenshots`: the main pages at 1280 px, from the embedded runtime and its demo data, saved as
// docs/images/*.png for the README. Not part of `npm test`: it asserts nothing, it only shows.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, codeIn, eventually, waitForMail } from '../test/helpers/api.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startRuntime } from '../test/helpers/runtime.ts';
import { DEMO_CUSTOMERS } from './demo-data.ts';
import { LOCAL_STAFF } from './staff-users.ts';

const OUT = resolve(fileURLToPath(new URL('../docs/images', import.meta.url)));
const DAY_MS = 86_400_000;

const rt = await startRuntime();
const browser = await launchBrowser();
try {
  mkdirSync(OUT, { recursive: true });
  const approver = await rt.staffToken('approver');

  /** A request filed on the centre's API and verified with the mailed code; its id and status token. */
  const filed = async (type: string, email: string) => {
    const answer = await call(rt.apiUrl, 'POST', '/requests', { body: { type, email, language: 'en' } });
    const id = answer.json.id as string;
    const mail = await waitForMail(rt.sesUrl, email, (m) => codeIn(m) !== '');
    const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, {
      body: { code: codeIn(mail) },
    });
    return { id, token: verified.json.statusToken as string };
  };
  const reach = (r: { id: string; token: string }, status: string) =>
    eventually(
      async () => {
        const s = await call(rt.apiUrl, 'GET', `/requests/${r.id}`, { token: r.token });
        return s.json.status === status ? true : undefined;
      },
      120_000,
      status,
    );
  const approved = async (r: { id: string; token: string }) => {
    await reach(r, 'awaiting_approval');
    await call(rt.apiUrl, 'POST', `/admin/requests/${r.id}/approve`, { token: approver });
    await reach(r, 'completed');
    return r;
  };

  // The demo queue: two completed, one to approve, a letter waiting for its check, a bounce.
  const [erasure, access] = await Promise.all([
    approved(await filed('erasure', DEMO_CUSTOMERS.an.email)),
    approved(await filed('access', DEMO_CUSTOMERS.luc.email)),
  ]);
  await reach(await filed('erasure', DEMO_CUSTOMERS.jan.email), 'awaiting_approval');
  await call(rt.apiUrl, 'POST', '/admin/requests', {
    token: approver,
    body: {
      type: 'access',
      channel: 'letter',
      receivedAt: new Date(Date.now() - 5 * DAY_MS).toISOString(),
      language: 'fr',
      postalAddress: 'Sophie Lambert\nRue Haute 5\n7500 Tournai',
    },
  });
  await call(rt.apiUrl, 'POST', '/requests', {
    body: { type: 'erasure', email: 'bounce@simulator.amazonses.com', language: 'en' },
  });

  const page = await (
    await browser.newContext({ locale: 'en-BE', viewport: { width: 1280, height: 900 } })
  ).newPage();
  const shot = (name: string, fullPage = false) =>
    page.screenshot({ path: join(OUT, `${name}.png`), fullPage });

  // The privacy centre: the request form, and the status of the completed access request with its download.
  await page.goto(`${rt.apiUrl}/`);
  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await page.getByRole('heading', { name: 'Make a request' }).waitFor();
  await shot('centre-file');
  await page.getByRole('button', { name: 'Follow a request' }).click();
  await page.getByLabel('Request number').fill(access.id);
  await page.getByLabel('Status key').fill(access.token);
  await page.getByRole('button', { name: 'Show the status' }).click();
  await page.getByRole('link', { name: 'Download your data' }).waitFor();
  await shot('centre-status');

  // The console: sign-in, the queue, a completed erasure's page, the dashboard.
  await page.goto(`${rt.apiUrl}/console/`);
  await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
  await shot('console-sign-in');
  await page.getByLabel('User name').fill('approver');
  await page.getByLabel('Password').fill(LOCAL_STAFF.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('table.queue tbody tr').first().waitFor();
  await page.getByLabel('Order').selectOption('');
  await page.locator('table.queue tbody tr').nth(4).waitFor();
  await shot('console-queue');
  await page.goto(`${rt.apiUrl}/console/#/requests/${erasure.id}`);
  await page.locator('dd[data-status="completed"]').waitFor();
  await shot('console-request', true);
  await page.goto(`${rt.apiUrl}/console/#/dashboard`);
  await page.locator('.chart canvas').first().waitFor();
  await shot('console-dashboard', true);
  process.stdout.write(`Screenshots in ${OUT}\n`);
} finally {
  await browser.close();
  await rt.stop();
}
