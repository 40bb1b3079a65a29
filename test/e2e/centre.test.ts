// The privacy centre in a real browser (P4, P18; Art. 12(1), 15-21): a subject files an erasure, enters the code
// from the mail and follows the request, in Dutch by default and English by choice, at desktop and phone width; an
// access request followed to completion offers its download (P1, P7); a rectification in French and an objection in
// Dutch (P2, P6).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { call, codeIn, waitForMail } from '../helpers/api.ts';
import { launchBrowser, seriousViolations } from '../helpers/browser.ts';
import { linksIn } from '../helpers/downloads.ts';
import { reachStatus } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const { an, luc, noor, jan } = DEMO_CUSTOMERS;

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

/** Enters the newest code mailed to `to` and waits for the status view. */
async function enterCode(to: string, label: string, heading: string) {
  const mail = await waitForMail(rt.sesUrl, to, (m) => /\b\d{8}\b/.test(m.body.text ?? ''));
  await page.getByLabel(label).fill(codeIn(mail));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: heading }).waitFor();
  await page.locator('dd[data-status]').waitFor();
  return page.locator('dd.code').allTextContents();
}

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

  it('follows an access request to completion and offers the download until its date, as the mail does (P1, P7)', {
    timeout: 180_000,
  }, async () => {
    // Prepare: an access request filed and verified on the centre, in English
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${rt.apiUrl}/`);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByLabel('Tell me which data you hold about me').check();
    await page.getByLabel('Your e-mail address').fill(luc.email);
    await page.getByRole('button', { name: 'Send the request' }).click();
    const [id, token] = await enterCode(luc.email, 'Code (8 digits)', 'Your request');
    expect(await page.getByRole('link', { name: 'Download your data' }).count()).toBe(0);

    // Act: staff approve it, the pipeline carries it out, the subject refreshes the status
    await reachStatus(rt, id as string, token as string, ['awaiting_approval']);
    const approver = await rt.staffToken('approver');
    expect((await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: approver })).status).toBe(
      200,
    );
    await reachStatus(rt, id as string, token as string, ['completed'], 120_000);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const files = page.getByRole('link', { name: 'Download your data' });
    await files.waitFor();

    // Assess: the mail's own links with their end date, and a page free of serious violations
    const mail = await waitForMail(rt.sesUrl, luc.email, (m) => linksIn(m).length > 0);
    const report = page.getByRole('link', { name: 'Read your overview (readable and printable)' });
    expect(new Set([await files.getAttribute('href'), await report.getAttribute('href')])).toEqual(
      new Set(linksIn(mail)),
    );
    expect(await page.textContent('main')).toMatch(/Available until \d{1,2} \w+ 20\d\d\./);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('takes a rectification in French and shows its status in French, free of serious axe violations (P2, P18)', {
    timeout: 60_000,
  }, async () => {
    // Prepare
    await page.goto(`${rt.apiUrl}/`);
    await page.getByRole('button', { name: 'FR', exact: true }).click();
    // The page sets its language after rendering: wait for it rather than read it once.
    await page.waitForFunction("document.documentElement.lang === 'fr'", undefined, { timeout: 5_000 });
    // Act: a new first name
    await page.getByLabel('Rectifier mes données').check();
    await page.getByLabel('Votre adresse e-mail').fill(noor.email);
    await page.getByLabel('Prénom').fill('Nour');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByRole('heading', { name: 'Saisissez votre code' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await enterCode(noor.email, 'Code (8 chiffres)', 'Votre demande');
    // Assess: the status view in French
    expect(await page.textContent('main')).toContain('Nous répondons au plus tard le');
    expect(await page.locator('dd').nth(2).textContent()).toBe('Rectifier mes données');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('takes an objection to direct marketing in Dutch and shows its status in Dutch, free of serious axe violations (P6, P18)', {
    timeout: 60_000,
  }, async () => {
    // Prepare
    await page.goto(`${rt.apiUrl}/`);
    await page.getByRole('button', { name: 'NL', exact: true }).click();
    // Act
    await page.getByLabel('Mijn gegevens niet langer voor bepaalde doelen gebruiken').check();
    await page.getByLabel('Uw e-mailadres').fill(jan.email);
    await page.getByLabel('Direct marketing (met de profilering daarvoor)').check();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Verzoek versturen' }).click();
    await page.getByRole('heading', { name: 'Voer uw code in' }).waitFor();
    await enterCode(jan.email, 'Code (8 cijfers)', 'Uw verzoek');
    // Assess: the status view in Dutch, with nothing to download for an objection
    expect(await page.evaluate('document.documentElement.lang')).toBe('nl');
    expect(await page.textContent('main')).toContain('We antwoorden uiterlijk op');
    expect(await page.getByRole('link', { name: 'Uw gegevens downloaden' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
