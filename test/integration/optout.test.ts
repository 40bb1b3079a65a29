// One-click opt-out on the embedded runtime (P5, P6, P13): the real API server, DynamoDB Local and the local
// recipients' endpoints. Issue a link as staff, look (GET changes nothing), click (POST unsubscribes once), repeat.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoSubscriberStore } from '../../functions/aws/subscriber-store.ts';
import { importSubscribers } from '../../functions/connectors/marketing/import.ts';
import { subjectRef } from '../../functions/core/secrets.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../local/asl.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import type { ReceivedNotice } from '../../local/recipients.ts';
import type { RuntimeInfo } from '../../local/runtime.ts';
import { loadAppSecret } from '../../local/secrets.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call } from '../helpers/api.ts';
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

/** The path of the URL under the local API (the URL carries the public base). */
const pathOf = (url: string) => new URL(url).pathname;

describe('One-click opt-out end to end (P5)', () => {
  let link: { url: string; headers: Record<string, string> };

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
    expect(await listEntry(an.email, 'newsletter')).toBeUndefined();
    expect(await listEntry(an.email, 'direct_mailing')).toBeDefined();
    const suppression = (await marketing()).filter((i) => String(i.pk).startsWith('SUPPRESSED#'));
    expect(suppression).toHaveLength(1);
    expect([...((suppression[0]?.lists ?? []) as Set<string>)]).toEqual(['newsletter']);
    expect(JSON.stringify(suppression, (_k, v) => (v instanceof Set ? [...v] : v))).not.toContain(an.email);
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

  it('keeps her off the newsletter when a later import lists her again (P6)', async () => {
    // Prepare: the app secret, to key subjects as the pipeline does
    const secret = loadAppSecret(rt.dataDir, LOCAL_REGION, LOCAL_ACCOUNT).value;
    // Act: import the newsletter list again with her on it
    const result = await importSubscribers(
      {
        subscribers: dynamoSubscriberStore(doc, TABLE_NAMES.system('marketing')),
        subjectRef: (email) => subjectRef(secret, email),
        now: new Date(),
      },
      [
        {
          list: 'newsletter',
          email: an.email,
          firstName: an.firstName,
          lastName: an.lastName,
          language: 'nl',
          gender: an.gender,
          customerNumber: an.customerNumber,
        },
      ],
    );
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
    expect((await marketing()).filter((i) => String(i.pk).startsWith('SUPPRESSED#'))).toHaveLength(1);
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

  it('writes her address in no log line (P15)', () => {
    // Act: read the runtime's logs
    const logs = rt.logs().join('\n');
    // Assess: the route was logged, but no address or name
    expect(logs).toContain('/unsubscribe/');
    for (const value of [an.email, `${an.firstName} ${an.lastName}`, luc.email])
      expect(logs).not.toContain(value);
  });
});
