// The API reference at /docs in a real browser (issue 11): Swagger UI, served from the package under the pages' CSP,
// renders every operation of /openapi.json without a console error or a CSP violation.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../functions/registry.ts';
import { PAGE_CSP, STAGE } from '../../local/api-server.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const violations: string[] = [];
const failedRequests: string[] = [];

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime(), launchBrowser()]);
  const context = await browser.newContext({ locale: 'en-BE', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('requestfailed', (r) => failedRequests.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) failedRequests.push(`${r.status()} ${r.url()}`);
  });
  // The page's own CSP reports, seen from inside it (registered before any of its scripts runs).
  await context.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await context.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => reportViolation(e.violatedDirective + ' ' + e.blockedURI));",
  });
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('API reference in Chromium', () => {
  it('renders every route of the registry at /docs under the pages CSP, without console errors (P15)', {
    timeout: 60_000,
  }, async () => {
    // Act: open the reference
    const response = await page.goto(`${rt.apiUrl}/docs`);
    await page.locator('.opblock').first().waitFor();
    // Assess: served with the same strict policy as the console
    expect(response?.headers()['content-security-policy']).toBe(PAGE_CSP);
    expect(PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|data:/);
    // Assess: the title, and one operation per registry route, public and staff alike
    await page.getByRole('heading', { name: /JSM privacy rights API/ }).waitFor();
    const shown = await page
      .locator('.opblock-summary')
      .evaluateAll((els) =>
        els.map(
          (el) =>
            `${el.querySelector('.opblock-summary-method')?.textContent} ${el.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        ),
      );
    expect(shown).toEqual(expect.arrayContaining(['POST /requests', 'POST /admin/requests/{id}/approve']));
    expect(shown.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    // Assess: nothing refused, failed or logged as an error
    expect(failedRequests).toEqual([]);
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('shows an operation’s responses with their schemas when opened', { timeout: 60_000 }, async () => {
    // Prepare: the reference, loaded
    await page.goto(`${rt.apiUrl}/docs/`);
    const approve = page.locator('.opblock-post', {
      has: page.locator('.opblock-summary-path[data-path="/admin/requests/{id}/approve"]'),
    });
    // Act: open the approval route
    await approve.locator('.opblock-summary-control').click();
    // Assess: its success and problem answers are listed, each with a media type
    const responses = approve.locator('.responses-table .response');
    await responses.first().waitFor();
    const codes = await responses.evaluateAll((els) => els.map((el) => el.getAttribute('data-code')));
    expect(codes).toEqual(expect.arrayContaining(['200', '401', '403', '409']));
    const types = await approve
      .locator('.response select option')
      .evaluateAll((els) => els.map((el) => el.getAttribute('value')));
    expect(types).toEqual(expect.arrayContaining(['application/json', 'application/problem+json']));
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('calls the API from the page itself (Try it out), beside the document it was served with', {
    timeout: 60_000,
  }, async () => {
    // Prepare: the reference under the stage, as on AWS (the local server takes /v1 too), the document's route opened
    await page.goto(`${rt.apiUrl}/${STAGE}/docs/`);
    const op = page.locator('.opblock-get', {
      has: page.locator('.opblock-summary-path[data-path="/openapi.json"]'),
    });
    await op.locator('.opblock-summary-control').click();
    // Act: try it out
    await op.getByRole('button', { name: 'Try it out' }).click();
    await op.getByRole('button', { name: 'Execute' }).click();
    // Assess: the call went to the stage it was served under and answered 200, under the same CSP
    await op.locator('.live-responses-table tr.response .response-col_status').first().waitFor();
    expect(await op.locator('.request-url pre').textContent()).toBe(`${rt.apiUrl}/${STAGE}/openapi.json`);
    expect(
      (
        await op.locator('.live-responses-table tr.response .response-col_status').first().textContent()
      )?.trim(),
    ).toBe('200');
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
