// One-click opt-out on the embedded runtime (P5, P6, P13): the real API server, DynamoDB Local and the local
// recipients' endpoints. Issue a link as staff, look (GET changes nothing), click (POST unsubscribes once and
// withdraws CRM's consent), repeat; a later access report shows the consent withdrawn (P1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import type { ReceivedNotice } from '../../local/recipients.ts';
import type { RuntimeInfo } from '../../local/runtime.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { subscriberRow } from '../fixtures/subscribers.ts';
import { call, codeIn, eventually, type InboxMail, inbox, waitForMail } from '../helpers/api.ts';
import { importAsSync } from '../helpers/marketing.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const an = DEMO_CUSTOMERS.an;
const luc = DEMO_CUSTOMERS.luc;
const ONE_CLICK = { 'content-type': 'application/x-www-form-urlencoded' };

let rt: Runtime;
let doc: DynamoDBDocumentClient;
let recipientsUrl: string;

beforeAll(async () => {
  rt = await startRuntime({ clock: '2026-11-25T09:00:00Z' });
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: rt.dynamodbEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  recipientsUrl = (JSON.parse(readFileSync(join(rt.dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo)
    .recipients;
});

afterAll(async () => {
  await rt?.stop();
});

const marketing = async () =>
  (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system('marketing') }))).Items ?? [];
const listEntry = async (email: string, list: string) =>
  (await marketing()).find((i) => i.email === email && i.sk === `LIST#${list}`);
const crmConsent = async (customerNumber: string, purpose: string) =>
  ((await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system('crm') }))).Items ?? []).find(
    (i) => i.customerNumber === customerNumber && i.sk === `CONSENT#${purpose}`,
  );
const crmItems = async () =>
  ((await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system('crm') }))).Items ?? []).sort((a, b) =>
    `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`),
  );
const received = async (recipientId: string) =>
  (await (await fetch(`${recipientsUrl}/${recipientId}/received`)).json()) as ReceivedNotice[];

async function issueLink(email: string, list: string, language?: string) {
  const res = await call(rt.apiUrl, 'POST', '/admin/unsubscribe-links', {
    token: await rt.staffToken('admin'),
    body: { email, list, ...(language ? { language } : {}) },
  });
  expect(res.status).toBe(200);
  return res.json as { url: string; headers: Record<string, string> };
}

const linksIn = (m: InboxMail) =>
  [...(m.body.text ?? '').matchAll(/(https?:\/\/\S+\/downloads\/[A-Za-z0-9_.-]+)/g)].map(
    (x) => x[1] as string,
  );

/** The path of the URL under the local API (the URL carries the public base). */
const pathOf = (url: string) => new URL(url).pathname;

describe('One-click opt-out end to end (P5)', () => {
  let link: { url: string; headers: Record<string, string> };
  let donePage = '';
  let firstWithdrawal: unknown;

  it('issues a signed link for her newsletter to a staff admin, with the RFC 8058 headers (P5)', async () => {
    // Act: an admin issues a link for An's newsletter subscription, in Dutch
    link = await issueLink(an.email, 'newsletter', 'nl');
    // Assess: a URL under the API that does not name her, and the List-Unsubscribe headers
    expect(link.url).toMatch(
      new RegExp(`^${rt.apiUrl.replace('127.0.0.1', 'localhost')}/unsubscribe/[\\w-]+$`),
    );
    expect(link.url).not.toContain('devos');
    expect(link.headers).toEqual({
      'List-Unsubscribe': `<${link.url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    // Act: a viewer asks for one
    const viewer = await call(rt.apiUrl, 'POST', '/admin/unsubscribe-links', {
      token: await rt.staffToken('viewer'),
      body: { email: an.email, list: 'newsletter' },
    });
    // Assess: forbidden
    expect(viewer.status).toBe(403);
  });

  it("answers a viewer who replays an admin's Idempotency-Key and body with 403, never the admin's link (security)", async () => {
    // Prepare: an admin issues a link with an Idempotency-Key.
    const body = { email: luc.email, list: 'direct_mailing' };
    const headers = { 'idempotency-key': 'replay-check-1' };
    const admin = await call(rt.apiUrl, 'POST', '/admin/unsubscribe-links', {
      token: await rt.staffToken('admin'),
      body,
      headers,
    });
    // Act: a viewer sends the same key and body.
    const viewer = await call(rt.apiUrl, 'POST', '/admin/unsubscribe-links', {
      token: await rt.staffToken('viewer'),
      body,
      headers,
    });
    // Assess
    expect(admin.status).toBe(200);
    expect(viewer.status).toBe(403);
    expect(viewer.text).not.toContain('/unsubscribe/');
  });

  it('shows the confirmation page in Dutch with a button, and a GET changes nothing (P5, P18)', async () => {
    // Act: open the link (GET)
    const res = await call(rt.apiUrl, 'GET', pathOf(link.url));
    // Assess: an HTML page in Dutch with the one-click form; she is still on the list and the processor heard nothing
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('<html lang="nl"');
    expect(res.text).toContain('Wilt u zich uitschrijven voor de nieuwsbrief van JSM?');
    expect(res.text).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(res.text).toMatch(/<button type="submit">Uitschrijven<\/button>/);
    expect(await listEntry(an.email, 'newsletter')).toBeDefined();
    expect(await received('email-marketing')).toHaveLength(0);
  });

  it('takes her off the newsletter list on the one-click POST, keeps direct mailing, suppresses her keyed hash (P5, P6)', async () => {
    // Act: click (POST List-Unsubscribe=One-Click)
    const res = await call(rt.apiUrl, 'POST', pathOf(link.url), {
      body: 'List-Unsubscribe=One-Click',
      headers: ONE_CLICK,
    });
    // Assess: confirmed in Dutch; off the newsletter, still on direct mailing; one suppression of the newsletter, without her address
    expect(res.status).toBe(200);
    expect(res.text).toContain('U bent uitgeschreven voor de nieuwsbrief van JSM');
    donePage = res.text;
    expect(await listEntry(an.email, 'newsletter')).toBeUndefined();
    expect(await listEntry(an.email, 'direct_mailing')).toBeDefined();
    // (The retention sweep at start-up left erasure entries of former customers: the opt-out's is hers alone.)
    const suppression = (await marketing()).filter(
      (i) =>
        String(i.pk).startsWith('SUPPRESSED#') && [...((i.reasons ?? []) as Set<string>)].includes('opt_out'),
    );
    expect(suppression).toHaveLength(1);
    expect([...((suppression[0]?.lists ?? []) as Set<string>)]).toEqual(['newsletter']);
    expect(JSON.stringify(suppression, (_k, v) => (v instanceof Set ? [...v] : v))).not.toContain(an.email);
  });

  it("leaves CRM's newsletter consent withdrawn, with the date and the channel one_click; direct mailing stays given (P5, Art. 7(3))", async () => {
    // Act: read her consents in the CRM store after the one-click POST above
    const newsletter = await crmConsent(an.customerNumber, 'newsletter');
    const directMailing = await crmConsent(an.customerNumber, 'direct_mailing');
    // Assess: withdrawn today, by one click, under the pseudonymous opt-out id; the other consent untouched
    expect(newsletter).toMatchObject({ granted: false, withdrawnChannel: 'one_click' });
    expect(String(newsletter?.withdrawnAt)).toMatch(/^2026-11-25T/);
    expect(String(newsletter?.withdrawnBy)).toMatch(/^o_[\w-]+$/);
    expect(directMailing).toMatchObject({ granted: true });
    expect(directMailing).not.toHaveProperty('withdrawnAt');
    firstWithdrawal = newsletter?.withdrawnAt;
  });

  it('lets the e-mail marketing processor record the notice once, even when the POST is repeated (P13)', async () => {
    // Act: repeat the POST twice
    for (let i = 0; i < 2; i++) {
      const again = await call(rt.apiUrl, 'POST', pathOf(link.url), {
        body: 'List-Unsubscribe=One-Click',
        headers: ONE_CLICK,
      });
      // Assess: answered 200 each time
      expect(again.status).toBe(200);
    }
    // Assess: the e-mail marketing processor got one notice, keyed once, to unsubscribe her from the newsletter
    const notices = await received('email-marketing');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.idempotencyKey).toMatch(/^o_[\w-]+:email-marketing$/);
    expect(notices[0]?.body).toMatchObject({
      event: 'opt_out',
      instruction: 'unsubscribe',
      lists: ['newsletter'],
      subject: { email: an.email },
    });
    // Assess: told nobody else: the direct-mailing processor's list was not hers to leave.
    expect(await received('direct-mailing')).toHaveLength(0);
    // Assess: the notice is on record as acknowledged, without the address any more.
    const requests = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.requests }))).Items ?? [];
    const notice = requests.filter((i) => String(i.pk).startsWith('OPTOUT#'));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatchObject({ sk: 'NOTICE#email-marketing', status: 'acknowledged' });
    expect(JSON.stringify(notice)).not.toContain(an.email);
  });

  it('withdraws the consent once for three POSTs: the first date stays, one audit entry (P5, Art. 7(3))', async () => {
    // Act: read the consent and the opt-out's audit chain after the POST and its two repeats above
    const newsletter = await crmConsent(an.customerNumber, 'newsletter');
    const chain =
      (
        await doc.send(
          new QueryCommand({
            TableName: TABLE_NAMES.audit,
            KeyConditionExpression: 'requestId = :r',
            ExpressionAttributeValues: { ':r': newsletter?.withdrawnBy },
          }),
        )
      ).Items ?? [];
    // Assess: the first withdrawal's date, and one opt-out received on the chain, naming one consent withdrawn
    expect(newsletter?.withdrawnAt).toBe(firstWithdrawal);
    const receivedEntries = chain.filter((e) => e.action === 'optout.received');
    expect(receivedEntries).toHaveLength(1);
    expect(receivedEntries[0]?.details).toMatchObject({ consentsWithdrawn: 1 });
  });

  it('changes nothing in CRM for a prospect on the list only, and answers her the same page (P5, P8)', async () => {
    // Prepare: a prospect on the newsletter list only (no customer), and CRM as it stands
    const prospect = 'prospect.only@example.org';
    const imported = await importAsSync(rt, doc, [
      {
        list: 'newsletter',
        email: prospect,
        firstName: 'Pia',
        lastName: 'Prospect',
        language: 'nl',
        gender: 'F',
      },
    ]);
    expect(imported).toMatchObject({ added: 1 });
    const before = await crmItems();
    // Act: she clicks her own link
    const res = await call(rt.apiUrl, 'POST', pathOf((await issueLink(prospect, 'newsletter', 'nl')).url), {
      body: 'List-Unsubscribe=One-Click',
      headers: ONE_CLICK,
    });
    // Assess: the same answer a customer gets; off the list; CRM unchanged
    expect(res.status).toBe(200);
    expect(res.text).toBe(donePage);
    expect(await listEntry(prospect, 'newsletter')).toBeUndefined();
    expect(await crmItems()).toEqual(before);
  });

  it('keeps her off the newsletter when a later import lists her again (P6)', async () => {
    // Act: import the newsletter list again with her on it, keyed as the pipeline keys subjects
    const result = await importAsSync(rt, doc, [subscriberRow(an, 'newsletter')]);
    // Assess: not added, suppressed; she stays off the newsletter
    expect(result).toMatchObject({ added: 0, suppressed: 1 });
    expect(await listEntry(an.email, 'newsletter')).toBeUndefined();
  });

  it('answers a forged token with 400 and changes nothing', async () => {
    // Prepare: a real link for Luc, one character altered; what the processor received so far.
    const real = pathOf((await issueLink(luc.email, 'newsletter', 'fr')).url);
    const i = real.length - 12;
    const forged = `${real.slice(0, i)}${real[i] === 'A' ? 'B' : 'A'}${real.slice(i + 1)}`;
    const before = await received('email-marketing');
    const suppressions = (await marketing()).filter((i) => String(i.pk).startsWith('SUPPRESSED#')).length;
    // Act: POST and GET the forged link
    const post = await call(rt.apiUrl, 'POST', forged, {
      body: 'List-Unsubscribe=One-Click',
      headers: ONE_CLICK,
    });
    const get = await call(rt.apiUrl, 'GET', forged);
    // Assess: 400 invalid-unsubscribe-token both times; Luc still subscribed, no new suppression, no new notice
    for (const res of [post, get]) {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json.type).toBe('https://privacy.jsm.be/problems/invalid-unsubscribe-token');
    }
    expect(await listEntry(luc.email, 'newsletter')).toBeDefined();
    expect((await marketing()).filter((i) => String(i.pk).startsWith('SUPPRESSED#'))).toHaveLength(
      suppressions,
    );
    expect(await received('email-marketing')).toEqual(before);
  });

  it('refuses a POST without the one-click body and leaves Luc subscribed', async () => {
    // Prepare: a real link for Luc
    const real = pathOf((await issueLink(luc.email, 'newsletter', 'fr')).url);
    // Act: POST without the one-click body
    const res = await call(rt.apiUrl, 'POST', real, { body: 'unsubscribe=yes', headers: ONE_CLICK });
    // Assess: 400, and Luc is still subscribed
    expect(res.status).toBe(400);
    expect(await listEntry(luc.email, 'newsletter')).toBeDefined();
  });

  it('shows the newsletter consent withdrawn, with its date and channel, in a later access report (P1, P5, Art. 15(1))', async () => {
    // Prepare: she files an access request in Dutch and verifies it with the mailed code
    const seen = new Set((await inbox(rt.sesUrl)).map((m) => m.messageId));
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'access', email: an.email, language: 'nl' },
    });
    expect(filed.status).toBe(202);
    const id = filed.json.id as string;
    const codeMail = await waitForMail(
      rt.sesUrl,
      an.email,
      (m) => /\b\d{8}\b/.test(m.body.text ?? '') && !seen.has(m.messageId),
    );
    const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, {
      body: { code: codeIn(codeMail) },
    });
    expect(verified.status).toBe(200);
    const token = verified.json.statusToken as string;
    const status = async () => (await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json.status;
    await eventually(async () => ((await status()) === 'awaiting_approval' ? true : undefined), 60_000);
    // Act: staff approve; it completes; she follows the report link in her mail
    const approver = await rt.staffToken('approver');
    expect((await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: approver })).status).toBe(
      200,
    );
    await eventually(async () => ((await status()) === 'completed' ? true : undefined), 90_000, 'completed');
    const mail = (await inbox(rt.sesUrl)).find(
      (m) => !seen.has(m.messageId) && m.destination.to.includes(an.email) && linksIn(m).length > 0,
    ) as InboxMail;
    let html = '';
    for (const l of linksIn(mail)) {
      const redirect = await fetch(l, { redirect: 'manual' });
      const file = await fetch(redirect.headers.get('location') as string);
      if (file.headers.get('content-type')?.startsWith('text/html')) html = await file.text();
    }
    // Assess: the consents' table has a row that reads not given, withdrawn on 25 November 2026, by the link
    // One row per record in a wide table, or one small table per record.
    const rows = html.match(/<table class="record">[\s\S]*?<\/table>|<tr>[\s\S]*?<\/tr>/g) ?? [];
    const withdrawn = rows.filter((r) => r.includes('de uitschrijflink in een mailing'));
    expect(withdrawn).toHaveLength(1);
    expect(withdrawn[0]).toContain('>newsletter<');
    expect(withdrawn[0]).toMatch(/>nee</);
    expect(withdrawn[0]).toMatch(/25 nov\.? 2026/);
    expect(html).toContain('ingetrokken via');
  });

  it('writes her address in no log line (P15)', () => {
    // Act: read the runtime's logs
    const logs = rt.logs().join('\n');
    // Assess: the route was logged, but no address or name
    expect(logs).toContain('/unsubscribe/');
    for (const value of [an.email, `${an.firstName} ${an.lastName}`, luc.email])
      expect(logs).not.toContain(value);
  });
});
