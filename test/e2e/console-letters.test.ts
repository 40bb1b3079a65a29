// The staff console in a real browser, for requests that do not come through the privacy centre or whose mail does
// not arrive (issue 9; P4, P9, P10, P12, P15): staff register a letter and print its answers, clear a parent's
// request for a child, and see a bounce through to reaching the subject another way.
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueDate } from '../../functions/core/deadlines.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { call, eventually, inbox, waitForMail } from '../helpers/api.ts';
import { launchBrowser, seriousViolations } from '../helpers/browser.ts';
import { consolePage } from '../helpers/console.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const CLOCK = '2026-11-25T09:00:00Z';
const BOUNCE = 'bounce@simulator.amazonses.com';

let rt: Runtime;
let browser: Browser;
let page: Page;
const cspErrors: string[] = [];

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime({ clock: CLOCK }), launchBrowser()]);
  const context = await browser.newContext({ locale: 'en-BE', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const { signIn, openRequest, statusShown, expectInTimeline } = consolePage(
  () => page,
  () => rt.apiUrl,
);

type Detail = { status: string; dueAt: string; audit: { action: string }[]; delivery?: { state: string } };
const detail = async (id: string) =>
  (await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, { token: await rt.staffToken('viewer') }))
    .json as Detail;

/** Waits until the workflow has parked the request for staff's check (it locates first). */
const parkedForCheck = (id: string) =>
  eventually(
    async () =>
      (await detail(id)).audit.some((e) => e.action === 'identity.check_requested') ? true : undefined,
    60_000,
    'parked for the check',
  );

/** The day `days` before the runtime's clock, as a date field takes it. */
const daysAgo = (days: number) => new Date(Date.parse(CLOCK) - days * 86_400_000).toISOString().slice(0, 10);

/** Fills the console's register form up to the submit button. */
async function register(fields: {
  type: string;
  channel: 'letter' | 'email';
  receivedOn: string;
  language: string;
  email?: string;
  postalAddress?: string;
  representative?: { relation: string; name: string; email: string };
}) {
  await page.getByRole('link', { name: 'Register a request' }).click();
  await page.getByRole('heading', { name: 'Register a request received by letter or e-mail' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  // the form at phone width: no sideways scrolling of the page
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator(`#type-${fields.type}`).check();
  await page.getByLabel('Received by').selectOption(fields.channel);
  await page.getByLabel('Date of receipt').fill(fields.receivedOn);
  await page.getByLabel('Language of the answers').selectOption(fields.language);
  if (fields.email) await page.getByLabel('Subject’s e-mail address (optional)').fill(fields.email);
  if (fields.postalAddress) await page.getByLabel('Subject’s postal address').fill(fields.postalAddress);
  if (fields.representative) {
    await page.getByLabel('Made by someone else for the subject').check();
    await page.getByLabel('Acts as').selectOption(fields.representative.relation);
    await page.getByLabel('Name of the person acting').fill(fields.representative.name);
    await page.getByLabel('Their e-mail address').fill(fields.representative.email);
  }
  await page.getByRole('button', { name: 'Register the request' }).click();
  await page.locator('dd[data-status]').waitFor();
  return decodeURIComponent(/#\/requests\/([^/]+)/.exec(page.url())?.[1] ?? '');
}

/** Records the check on the request's page and waits until it awaits approval. */
async function recordCheck(method: string, customerNumber?: string) {
  await page.getByLabel('How it was checked').selectOption(method);
  await page.getByLabel('Internal note (optional)').fill('Checked at the counter');
  if (customerNumber)
    await page.getByLabel('Customer number, if you established it (optional)').fill(customerNumber);
  await page.getByRole('button', { name: 'Record the check' }).click();
  await page.locator('dd[data-status="awaiting_approval"]').waitFor({ timeout: 60_000 });
}

async function approveToCompletion() {
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.locator('dd[data-status="completed"]').waitFor({ timeout: 120_000 });
}

const letterFrame = async (): Promise<Frame> => {
  const frame = await (await page.locator('iframe.letter-frame').elementHandle())?.contentFrame();
  if (!frame) throw new Error('no letter frame');
  return frame;
};

describe('Letters, representatives and bounces in the staff console (Chromium)', () => {
  it('registers a letter without an e-mail address, due from its receipt date, records the check, approves it and prints its French answer with the print style sheet (P4, P9, Art. 12(1)-(3))', {
    timeout: 240_000,
  }, async () => {
    // Prepare: Sophie's letter arrived ten days ago
    const sophie = DEMO_CUSTOMERS.sophie;
    const receivedOn = daysAgo(10);
    await signIn('approver');
    // Act: staff register it with her postal address only
    const id = await register({
      type: 'erasure',
      channel: 'letter',
      receivedOn,
      language: 'fr',
      postalAddress: 'Sophie Lambert\nRue Haute 5\n7500 Tournai',
    });
    // Assess: waiting for the identity check, the due date counted from the receipt, not from today
    expect(await statusShown()).toBe('awaiting_identity_check');
    const due = dueDate(new Date(`${receivedOn}T00:00:00+01:00`));
    const dueText = new Intl.DateTimeFormat('en-BE', {
      dateStyle: 'medium',
      timeZone: 'Europe/Brussels',
    }).format(due);
    expect((await detail(id)).dueAt).toBe(due.toISOString());
    expect(await page.locator('dl.summary').textContent()).toContain(dueText);
    expect(await page.locator('dl.summary').textContent()).toContain('letter');
    // Act: the check, once the workflow waits for it
    await parkedForCheck(id);
    await page.reload();
    await page.getByRole('heading', { name: 'Record the identity check' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await recordCheck('customer_number_and_address', sophie.customerNumber);
    await expectInTimeline('authority.checked');
    // Act: approve, and watch it complete
    await approveToCompletion();
    // Assess: two letters, no mail; open the outcome letter's print view
    await page.locator('li[data-letter="acknowledgement"]').waitFor();
    await page.getByRole('link', { name: 'Print the letter: outcome' }).click();
    await page.getByRole('heading', { name: /Letter for request/ }).waitFor();
    await page.locator('iframe.letter-frame').waitFor();
    const frame = await letterFrame();
    await frame.locator('.letter').waitFor();
    // Assess: her address block and our reference, and the letter's own print style sheet in force
    const text = (await frame.locator('body').textContent()) ?? '';
    expect(text).toContain("Votre demande d'effacement a été exécutée");
    expect(text).toContain('7500 Tournai');
    expect(text).toContain(`Notre référence\u00a0: ${id}`);
    const links = await frame.evaluate(
      '[...document.querySelectorAll("link[rel=stylesheet]")].map((l) => l.href)',
    );
    expect(links).toEqual([`${rt.apiUrl}/assets/letter.css`]);
    const padding = () => frame.evaluate('getComputedStyle(document.querySelector(".letter")).paddingTop');
    expect(await padding()).not.toBe('0px');
    await page.emulateMedia({ media: 'print' });
    expect(await padding()).toBe('0px');
    await page.emulateMedia({ media: 'screen' });
    // Act: Print prints the letter's own document
    await frame.evaluate('window.print = () => { window.printed = (window.printed ?? 0) + 1; }');
    await page.getByRole('button', { name: 'Print', exact: true }).click();
    // Assess
    expect(await frame.evaluate('window.printed')).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    expect(cspErrors).toEqual([]);
    await page.getByRole('link', { name: 'Back to the request' }).click();
    await page.locator('dd[data-status]').waitFor();
    await expectInTimeline('letter.viewed');
  });

  it("clears a parent's request for a child: registered with the representative, parental authority recorded, approved, the answer mailed to the parent (P12, Art. 8, Art. 12(1))", {
    timeout: 240_000,
  }, async () => {
    // Prepare: a parent writes by e-mail for Luc
    const luc = DEMO_CUSTOMERS.luc;
    const parent = 'marc.ouder@example.be';
    const seen = new Set((await inbox(rt.sesUrl)).map((m) => m.messageId));
    await signIn('approver');
    // Act
    const id = await register({
      type: 'access',
      channel: 'email',
      receivedOn: daysAgo(2),
      language: 'nl',
      email: luc.email,
      representative: { relation: 'parent', name: 'Marc Martens', email: parent },
    });
    await parkedForCheck(id);
    await page.reload();
    await page.getByRole('heading', { name: 'Record the identity and authority check' }).waitFor();
    expect(await page.locator('dl.summary').textContent()).toContain('parent');
    await recordCheck('parental_authority_document_seen');
    await expectInTimeline('authority.checked');
    await approveToCompletion();
    // Assess: the outcome went to the parent's address, nothing to the child's
    const outcome = await waitForMail(
      rt.sesUrl,
      parent,
      (m) => !seen.has(m.messageId) && m.subject === 'Uw verzoek tot inzage is uitgevoerd',
      60_000,
    );
    expect(outcome.destination.to).toEqual([parent]);
    const mailed = (await inbox(rt.sesUrl)).filter((m) => !seen.has(m.messageId));
    expect(mailed.filter((m) => m.destination.to.includes(luc.email))).toEqual([]);
    expect(await page.locator('dl.summary').textContent()).toContain('authority checked');
    await expectInTimeline('request.approved');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows a bounced mail as a badge in the queue and an alert on the page, and clears it once staff record reaching the subject (P10, P4)', {
    timeout: 120_000,
  }, async () => {
    // Prepare: a request filed with an address whose mail bounces
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'erasure', email: BOUNCE, language: 'en' },
    });
    expect(filed.status).toBe(202);
    const id = filed.json.id as string;
    await eventually(
      async () => ((await detail(id)).delivery?.state === 'bounced' ? true : undefined),
      30_000,
      'bounced',
    );
    await signIn('approver');
    // Act: find it in the queue
    await page.getByLabel('Request number').fill(id);
    await page.getByRole('button', { name: 'Search' }).click();
    // Assess: the badge
    await page.locator(`table.queue tr[data-id="${id}"] [data-attention="undeliverable"]`).waitFor();
    expect(await page.locator(`table.queue tr[data-id="${id}"]`).textContent()).toContain('Undeliverable');
    expect(await seriousViolations(page)).toEqual([]);
    // Act: open it
    await openRequest(id);
    // Assess: the alert, the message sent and its delivery, not answered
    await page.getByRole('alert').filter({ hasText: 'was not delivered' }).waitFor();
    expect(await page.locator('li[data-delivery="bounced"]').textContent()).toContain('code');
    expect(await page.locator('dd[data-answered]').getAttribute('data-answered')).toBe('false');
    expect(await seriousViolations(page)).toEqual([]);
    // Act: staff reached the subject by phone
    await page.getByLabel('How', { exact: true }).selectOption('phone');
    await page.getByLabel('Internal note (optional)').fill('Called the number on file');
    await page.getByRole('button', { name: 'Record it' }).click();
    // Assess: the alert is gone, the reaching shown and audited
    await page.locator('[data-reached="phone"]').waitFor();
    expect(await page.locator('[data-undelivered]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Record it' }).count()).toBe(0);
    await expectInTimeline('subject.reached');
    expect(await seriousViolations(page)).toEqual([]);
    expect(cspErrors).toEqual([]);
  });
});
