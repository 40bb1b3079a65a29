// The privacy centre in a real browser (P4, P18; Art. 12(1), 15-21): a subject files an erasure, enters the code
// from the mail and follows the request, in Dutch by default and English by choice, at desktop and phone width.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { call, codeIn, waitForMail } from '../helpers/api.ts';
import { launchBrowser, seriousViolations } from '../helpers/browser.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const an = DEMO_CUSTOMERS.an;

let rt: Runtime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const cspErrors: string[] = [];

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime({ clock: '2026-11-25T09:00:00Z' }), launchBrowser()]);
  // A Belgian Dutch-speaking browser: the centre opens in Dutch.
  context = await browser.newContext({ locale: 'nl-BE', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const focusedTag = () => page.evaluate('document.activeElement && document.activeElement.tagName');

describe('Privacy centre in Chromium', () => {
  it('files an erasure, takes the mailed code and shows the status, each page free of serious axe violations (P4, P18)', {
    timeout: 120_000,
  }, async () => {
    // Prepare: the centre in the browser's language
    await page.goto(`${rt.apiUrl}/`);
    await page.getByRole('heading', { name: 'Een verzoek indienen' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('nl');
    expect(await seriousViolations(page)).toEqual([]);

    // Act: switch to English and file an erasure with the keyboard-reachable controls
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByLabel('Erase my data').check();
    await page.getByLabel('Your e-mail address').fill(an.email);
    await page.getByRole('button', { name: 'Send the request' }).click();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    // Assess: the code step, focused on its heading, names no customer
    expect(await focusedTag()).toBe('H1');
    expect(await page.textContent('main')).not.toContain(an.lastName);
    expect(await seriousViolations(page)).toEqual([]);

    // Act: the code from the mail
    const mail = await waitForMail(rt.sesUrl, an.email);
    await page.getByLabel('Code (8 digits)').fill(codeIn(mail));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your request' }).waitFor();
    await page.locator('dd[data-status]').waitFor();

    // Assess: the status the API gives for the id and token the page shows
    const [id, token] = await page.locator('dd.code').allTextContents();
    const status = await call(rt.apiUrl, 'GET', `/requests/${id}`, { token });
    expect(status.status).toBe(200);
    const shown = await page.locator('dd[data-status]').getAttribute('data-status');
    expect(shown).toBe(status.json.status);
    expect(await page.textContent('main')).toContain('We answer by');
    expect(await seriousViolations(page)).toEqual([]);

    // Act: the same page at phone width
    await page.setViewportSize({ width: 390, height: 844 });
    // Assess: no sideways scrolling, still no serious violations, and no CSP refusal on any page
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    expect(cspErrors).toEqual([]);
  });

  it('follows a request from its number and key and refuses a wrong key without saying whether it exists (P4)', {
    timeout: 60_000,
  }, async () => {
    // Prepare: the follow form (the page is still at phone width)
    await page.goto(`${rt.apiUrl}/`);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('button', { name: 'Follow a request' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    // Act
    await page.getByLabel('Request number').fill(`r_${'A'.repeat(22)}`);
    await page.getByLabel('Status key').fill('wrong');
    await page.getByRole('button', { name: 'Show the status' }).click();
    // Assess
    await page.getByRole('alert').filter({ hasText: 'not correct' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(
      'The request number or status key is not correct.',
    );
    expect(await seriousViolations(page)).toEqual([]);
  });
});
