// The staff console in a real browser (issue 9; P3, P8, P9, P10, P15): staff sign in, approve, reject, extend,
// retry and resolve on a request's page and see each action in the audit timeline; a viewer cannot approve.
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { createTables, TABLE_NAMES } from '../../local/tables.ts';
import { call } from '../helpers/api.ts';
import { launchBrowser, seriousViolations } from '../helpers/browser.ts';
import { consolePage } from '../helpers/console.ts';
import { fileAndVerify, reachStatus } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const cspErrors: string[] = [];

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime({ clock: '2026-11-25T09:00:00Z' }), launchBrowser()]);
  context = await browser.newContext({ locale: 'en-BE', viewport: { width: 1280, height: 900 } });
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

/** An erasure filed and verified by the demo customer, waiting for a staff decision. */
async function awaitingApproval(email: string) {
  const { id, token } = await fileAndVerify(rt, { type: 'erasure', email, language: 'en' }, [email]);
  await reachStatus(rt, id, token, ['awaiting_approval']);
  return { id, token };
}

describe('Staff console in Chromium', () => {
  it('signs staff in with the local users and refuses a wrong password as it refuses an unknown user', {
    timeout: 60_000,
  }, async () => {
    // Prepare: the sign-in page
    await page.goto(`${rt.apiUrl}/console/`);
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // Act: a wrong password in the browser; a wrong password and an unknown user through the API
    await page.getByLabel('User name').fill('approver');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'not correct' }).waitFor();
    const wrong = await call(rt.apiUrl, 'POST', '/console/login', {
      body: { username: 'approver', password: 'nope' },
    });
    const unknown = await call(rt.apiUrl, 'POST', '/console/login', {
      body: { username: 'nobody', password: 'nope' },
    });
    // Assess: one answer for both, no token
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual(wrong.json);
    expect(wrong.text).not.toContain('idToken');
    // Act: the right password
    await signIn('approver');
    // Assess: signed in with the approver's role, the token kept in this tab only
    expect(await page.textContent('header')).toContain('approver');
    expect(await page.evaluate('localStorage.length')).toBe(0);
    const token = (await page.evaluate('sessionStorage.getItem("jsm.console.idToken")')) as string;
    expect((await call(rt.apiUrl, 'GET', '/admin/requests', { token })).status).toBe(200);
    // Act: sign out
    await page.getByRole('button', { name: 'Sign out' }).click();
    // Assess
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
    expect(await page.evaluate('sessionStorage.getItem("jsm.console.idToken")')).toBeNull();
  });

  it('approves an erasure on its page and shows it complete, each system erased, in the timeline (P3, P15)', {
    timeout: 180_000,
  }, async () => {
    // Prepare: An's erasure awaits approval
    const { id, token } = await awaitingApproval(DEMO_CUSTOMERS.an.email);
    await signIn('approver');
    await openRequest(id);
    expect(await statusShown()).toBe('awaiting_approval');
    expect(await seriousViolations(page)).toEqual([]);
    // Act
    await page.getByRole('button', { name: 'Approve' }).click();
    // Assess: the page follows the workflow to its end, which the API confirms
    await page.locator('dd[data-status="completed"]').waitFor({ timeout: 120_000 });
    expect((await reachStatus(rt, id, token, ['completed'])).status).toBe('completed');
    expect(await page.locator('[data-outcome="erased"]').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await expectInTimeline('request.approved');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('rejects with a reason code and asks a written explanation for "other" (P10, Art. 12(4))', {
    timeout: 120_000,
  }, async () => {
    // Prepare: Luc's erasure awaits approval
    const { id, token } = await awaitingApproval(DEMO_CUSTOMERS.luc.email);
    await signIn('approver');
    await openRequest(id);
    // Act: "other" with too short an explanation
    await page.getByLabel('Reason for the refusal').selectOption('other');
    await page.getByLabel('Explanation for the subject').fill('No.');
    await page.getByRole('button', { name: 'Reject the request' }).click();
    // Assess: the form refuses it (nothing sent); still awaiting approval
    expect(
      await page
        .getByLabel('Explanation for the subject')
        .evaluate((el) => (el as unknown as { validity: { valid: boolean } }).validity.valid),
    ).toBe(false);
    expect((await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json.status).toBe(
      'awaiting_approval',
    );
    // Act: a real explanation
    await page
      .getByLabel('Explanation for the subject')
      .fill('We already answered the same request from you last week.');
    await page.getByRole('button', { name: 'Reject the request' }).click();
    // Assess: rejected for "other", shown and audited
    await page.locator('dd[data-status="rejected"]').waitFor();
    expect(await page.locator('dd[data-rejection]').getAttribute('data-rejection')).toBe('other');
    expect((await reachStatus(rt, id, token, ['rejected'])).status).toBe('rejected');
    await expectInTimeline('request.rejected');
  });

  it('extends the period once with a ground and a note; the form is gone afterwards (P9, Art. 12(3))', {
    timeout: 120_000,
  }, async () => {
    // Prepare: Jan's erasure awaits approval
    const { id, token } = await awaitingApproval(DEMO_CUSTOMERS.jan.email);
    await signIn('approver');
    await openRequest(id);
    const dueBefore = (await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json.dueAt as string;
    // Act
    await page.getByLabel('Ground').selectOption('complexity');
    await page
      .getByLabel('Why it is necessary (internal note)')
      .fill('Four systems and a billing dispute to sort out.');
    await page.getByRole('button', { name: 'Extend', exact: true }).click();
    // Assess: extended on the page and in the API, a later due date, and no second extension offered
    await page.locator('dd[data-extended="complexity"]').waitFor();
    const after = (await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json;
    expect((after.extended as { reason: string }).reason).toBe('complexity');
    expect(Date.parse(after.dueAt as string)).toBeGreaterThan(Date.parse(dueBefore));
    expect(await page.getByRole('button', { name: 'Extend', exact: true }).count()).toBe(0);
    await expectInTimeline('request.extended');
  });

  it('hides approval from a viewer, and the server refuses the viewer the same call with 403', {
    timeout: 120_000,
  }, async () => {
    // Prepare: Sophie's erasure awaits approval; a viewer opens it
    const { id } = await awaitingApproval(DEMO_CUSTOMERS.sophie.email);
    await signIn('viewer');
    await openRequest(id);
    // Act: the viewer's own token, from the tab, on the approve route
    const token = (await page.evaluate('sessionStorage.getItem("jsm.console.idToken")')) as string;
    const refused = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token });
    // Assess: no button, no personal data button, 403, and nothing changed
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Show personal data' }).count()).toBe(0);
    expect(refused.status).toBe(403);
    await page.reload();
    await page.locator('dd[data-status]').waitFor();
    expect(await statusShown()).toBe('awaiting_approval');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the failed system and retries it once it is back, to completion (P3)', {
    timeout: 240_000,
  }, async () => {
    // Prepare: support's store is gone while Noor's erasure runs, so it closes partially completed
    const dynamo = new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: rt.dynamodbEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { id, token } = await awaitingApproval(DEMO_CUSTOMERS.noor.email);
    await dynamo.send(new DeleteTableCommand({ TableName: TABLE_NAMES.system('support') }));
    const approver = await rt.staffToken('approver');
    expect((await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: approver })).status).toBe(
      200,
    );
    await reachStatus(rt, id, token, ['partially_completed'], 120_000);
    await signIn('approver');
    await openRequest(id);
    // Assess: the failed system and its reason are on the page
    await page.locator('[data-system="support"][data-state="failed"]').waitFor();
    expect(await page.locator('[data-system="support"] [data-outcome="failed"]').count()).toBeGreaterThan(0);
    // Act: support is back; retry from the page
    await createTables(dynamo);
    dynamo.destroy();
    await page.getByRole('button', { name: 'Retry the systems that failed' }).click();
    // Assess: completed, on the page and in the API, and the retry in the timeline
    await page.locator('dd[data-status="completed"]').waitFor({ timeout: 120_000 });
    expect((await reachStatus(rt, id, token, ['completed'])).status).toBe('completed');
    await expectInTimeline('request.retried');
  });

  it('resolves an address two customers share by the customer number of the one who asked (P8)', {
    timeout: 120_000,
  }, async () => {
    // Prepare: the Verstraete family's shared address asks for an erasure; staff must pick the person
    const { koen } = DEMO_CUSTOMERS;
    const { id, token } = await fileAndVerify(rt, { type: 'erasure', email: koen.email, language: 'en' }, [
      koen.email,
    ]);
    await reachStatus(rt, id, token, ['awaiting_identity_check']);
    await signIn('approver');
    await openRequest(id);
    await page.locator('[data-outcome="ambiguous"]').first().waitFor();
    // Act
    await page.getByLabel('Customer number').fill(koen.customerNumber);
    await page.getByRole('button', { name: 'Act for this customer' }).click();
    // Assess: the request goes on to approval, and the pick is audited
    await page.locator('dd[data-status="awaiting_approval"]').waitFor();
    expect((await reachStatus(rt, id, token, ['awaiting_approval'])).status).toBe('awaiting_approval');
    await expectInTimeline('identity.resolved');
  });

  it('lists the queue overdue first, filters it and finds a request by its number, at phone width too (P9)', {
    timeout: 60_000,
  }, async () => {
    // Prepare
    await signIn('viewer');
    await page.locator('table.queue tbody tr').first().waitFor();
    // Assess: by due date, the fewest days left (overdue, negative) first
    const days = (await page
      .locator('table.queue .days')
      .evaluateAll((spans) => spans.map((s) => Number(s.getAttribute('data-days'))))) as number[];
    expect(days.length).toBeGreaterThan(0);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    expect(await seriousViolations(page)).toEqual([]);
    // Act: only what awaits approval
    await page.getByLabel('Status').selectOption('awaiting_approval');
    await page
      .locator('table.queue tbody tr:not([data-status="awaiting_approval"])')
      .first()
      .waitFor({ state: 'detached' });
    await page.locator('table.queue tbody tr').first().waitFor();
    // Assess
    const statuses = await page
      .locator('table.queue tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['awaiting_approval']));
    // Act: search for one of them by its number
    const id = (await page.locator('table.queue tbody tr').first().getAttribute('data-id')) as string;
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Request number').fill(id);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator(`table.queue tbody tr:not([data-id="${id}"])`).first().waitFor({ state: 'detached' });
    await page.locator(`table.queue tbody tr[data-id="${id}"]`).waitFor();
    // Assess: that one only, and its days left in words and colour
    expect(await page.locator('table.queue tbody tr').count()).toBe(1);
    expect(await page.locator('table.queue .days').first().textContent()).toMatch(/day|today/);
    // Act: the queue at phone width
    await page.setViewportSize({ width: 390, height: 844 });
    // Assess: no sideways scrolling of the page
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("opens a subject's personal data only on demand, audited, with the chain intact (P15)", {
    timeout: 120_000,
  }, async () => {
    // Prepare: Pieter's erasure awaits approval
    const { pieter } = DEMO_CUSTOMERS;
    const { id } = await awaitingApproval(pieter.email);
    await signIn('approver');
    await openRequest(id);
    expect(await page.textContent('main')).not.toContain(pieter.email);
    // Act
    await page.getByRole('button', { name: 'Show personal data' }).click();
    // Assess: the address is shown, the opening is in the timeline, and the chain verifies
    await page.getByText(pieter.email).waitFor();
    await expectInTimeline('subject.viewed');
    expect(await page.locator('[data-chain]').getAttribute('data-chain')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('renders the dashboard with its chart of completions against deadlines, at phone width too (P9)', {
    timeout: 60_000,
  }, async () => {
    // Prepare
    await signIn('viewer');
    // Act
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    // Assess: the figures, a drawn chart (An's and Noor's erasures completed) and no serious violation
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.textContent('main')).toContain('Overdue');
    expect(await seriousViolations(page)).toEqual([]);
    // Act: at phone width
    await page.setViewportSize({ width: 390, height: 844 });
    // Assess
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    expect(cspErrors).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
