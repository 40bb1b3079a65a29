// Recipients and processors (P13) against DynamoDB Local and the local recipients' endpoints, in-process: the
// NotifyRecipients task and the hourly notice sweep, including a recipient that does not answer.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listNotices } from '../../functions/aws/notice-store.ts';
import { dynamoRequestStore } from '../../functions/aws/request-store.ts';
import { type AuditEntry, firstBrokenLink } from '../../functions/core/audit.ts';
import type { RequestRecord } from '../../functions/core/request.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import {
  createRecipientsServer,
  type ReceivedNotice,
  type RecipientsServer,
} from '../../local/recipients.ts';
import type { RuntimeInfo } from '../../local/runtime.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { lambdaContext } from '../fixtures/lambda.ts';
import { call, codeIn, eventually, waitForMail } from '../helpers/api.ts';
import { download, linksIn } from '../helpers/downloads.ts';
import type { TestDynamoDb } from '../helpers/dynamodb.ts';
import { approveAndFinish, fileAndVerify } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';
import { type LocalServices, startLocalServices } from '../helpers/services.ts';

const EMAIL = 'an.devos@example.be';
const ID = 'r_0000000000000000000003';
const START = Date.parse('2026-03-02T10:00:00Z');

let db: TestDynamoDb;
// every audit entry also writes its chain head to the audit bucket (local S3)
let services: LocalServices;
let recipients: RecipientsServer;
let notify: typeof import('../../functions/workflow/notify-recipients.ts').handler;
let sweep: typeof import('../../functions/scheduled/notice-sweep.ts').handler;

/** Runs the handlers' clock from an instant (CLOCK_START is read on every call). */
const clockAt = (iso: string) => {
  process.env.CLOCK_START = iso;
};

beforeAll(async () => {
  services = await startLocalServices();
  db = services.db;
  recipients = createRecipientsServer({
    ids: ['email-marketing', 'invoicing', 'reorders', 'direct-mailing'],
    down: ['invoicing'],
    log: () => {},
  });
  await new Promise<void>((r) => recipients.server.listen(0, '127.0.0.1', () => r()));
  Object.assign(process.env, {
    RECIPIENTS_BASE_URL: `http://127.0.0.1:${(recipients.server.address() as AddressInfo).port}`,
    NOTICE_ACK_TIMEOUT_MINUTES: '60',
    POWERTOOLS_METRICS_NAMESPACE: 'PrivacyRights',
    POWERTOOLS_SERVICE_NAME: 'privacy-rights',
  });
  clockAt(new Date(START).toISOString());
  ({ handler: notify } = await import('../../functions/workflow/notify-recipients.ts'));
  ({ handler: sweep } = await import('../../functions/scheduled/notice-sweep.ts'));

  const done = {
    state: 'done' as const,
    located: { found: true, records: 2, categories: ['contact'] },
    outcomes: [{ kind: 'erased' as const, records: 2, category: 'contact' }],
  };
  await dynamoRequestStore(db.doc, TABLE_NAMES.requests).create({
    pk: `REQ#${ID}`,
    sk: 'REQUEST',
    kind: 'request',
    id: ID,
    type: 'erasure',
    status: 'in_progress',
    channel: 'web',
    email: EMAIL,
    subjectRef: 's_test',
    language: 'nl',
    receivedAt: new Date(START).toISOString(),
    dueAt: new Date(START + 30 * 86_400_000).toISOString(),
    verification: { codeHmac: 'x', expiresAt: new Date(START).toISOString(), attempts: 0, sent: 1 },
    attempt: 1,
    systems: { billing: done, crm: done, support: done, marketing: done },
    version: 1,
  } satisfies RequestRecord);
});

afterAll(async () => {
  delete process.env.CLOCK_START;
  recipients?.server.closeAllConnections();
  await new Promise((r) => (recipients ? recipients.server.close(r) : r(undefined)));
  await services?.stop();
});

const notices = () => listNotices(db.doc, TABLE_NAMES.requests, ID);
const noticeItems = async () =>
  (
    await db.doc.send(
      new QueryCommand({
        TableName: TABLE_NAMES.requests,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
        ExpressionAttributeValues: { ':pk': `REQ#${ID}`, ':n': 'NOTICE#' },
      }),
    )
  ).Items ?? [];

/** Runs the sweep and reads the UnacknowledgedNotices metric it printed (EMF on stdout, as on Lambda). */
async function runSweep() {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const result = await sweep({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, lambdaContext());
    const emf = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => '_aws' in l);
    return { result, metric: emf?.UnacknowledgedNotices, lines };
  } finally {
    spy.mockRestore();
  }
}

describe('Recipients: notices tracked to an acknowledgement (P13)', () => {
  it('notifies every recipient of the erasure, and one that is down stays `sent` with the error name', async () => {
    // Act: run NotifyRecipients for the erasure, with invoicing down
    const result = await notify({ requestId: ID, attempt: 1 }, lambdaContext());
    // Assess: four notified, three acknowledged, each once with its idempotency key; invoicing got nothing
    expect(result).toEqual({ notified: 4, acknowledged: 3 });
    for (const id of ['email-marketing', 'reorders', 'direct-mailing']) {
      const got = recipients.received(id);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({
        idempotencyKey: `${ID}:${id}`,
        body: { event: 'erasure', instruction: 'erase', subject: { email: EMAIL } },
      });
    }
    expect(recipients.received('invoicing')).toHaveLength(0);
    // Assess: staff see invoicing's notice as sent, with the error name and the recipient's name
    const view = await notices();
    expect(view.find((n) => n.recipientId === 'invoicing')).toMatchObject({
      status: 'sent',
      attempts: 1,
      lastError: 'HTTP503',
      recipient: 'Voorbeeld Facturatie NV',
    });
    expect(view.filter((n) => n.status === 'acknowledged')).toHaveLength(3);
    // Assess: staff see the notices without the body; acknowledged ones keep no address at all.
    expect(JSON.stringify(view)).not.toContain(EMAIL);
    const items = await noticeItems();
    expect(items.filter((i) => JSON.stringify(i).includes(EMAIL)).map((i) => i.sk)).toEqual([
      'NOTICE#invoicing',
    ]);
  });

  it('does not send an acknowledged notice again when the task runs again (restart-safe)', async () => {
    // Act: run NotifyRecipients again
    const again = await notify({ requestId: ID, attempt: 1 }, lambdaContext());
    // Assess: the same answer, and no acknowledged recipient received anything more
    expect(again).toEqual({ notified: 4, acknowledged: 3 });
    for (const id of ['email-marketing', 'reorders', 'direct-mailing'])
      expect(recipients.received(id)).toHaveLength(1);
  });

  it('leaves a notice alone until the timeout, then re-sends it and raises the UnacknowledgedNotices metric', async () => {
    // Act: sweep 30 minutes on, below the 60-minute timeout.
    clockAt(new Date(START + 30 * 60_000).toISOString());
    const early = await runSweep();
    // Assess: nothing re-sent, nothing unacknowledged yet
    expect(early.result).toEqual({ resent: 0, acknowledged: 0, unacknowledged: 0 });
    expect(early.metric).toBe(0);

    // Act: sweep two hours on, invoicing still down.
    clockAt(new Date(START + 120 * 60_000).toISOString());
    const late = await runSweep();
    // Assess: invoicing's notice re-sent and counted in the metric; still sent; no address in the output
    expect(late.result).toEqual({ resent: 1, acknowledged: 0, unacknowledged: 1 });
    expect(late.metric).toBe(1);
    expect((await notices()).find((n) => n.recipientId === 'invoicing')).toMatchObject({ status: 'sent' });
    expect(late.lines.join('')).not.toContain(EMAIL);
  });

  it('records the acknowledgement once the recipient answers, audits it, and drops the stored body', async () => {
    // Prepare: invoicing is back, but only receives for now (no acknowledgement).
    recipients.setMode('invoicing', 'ignore');
    // Act: sweep at three hours
    clockAt(new Date(START + 180 * 60_000).toISOString());
    // Assess: re-sent, not acknowledged
    expect((await runSweep()).result).toEqual({ resent: 1, acknowledged: 0, unacknowledged: 1 });
    // Prepare: invoicing acknowledges from now on
    recipients.setMode('invoicing', 'acknowledge');
    clockAt(new Date(START + 240 * 60_000).toISOString());
    // Act: sweep at four hours
    const back = await runSweep();
    // Assess: acknowledged; the metric back to zero
    expect(back.result).toEqual({ resent: 1, acknowledged: 1, unacknowledged: 0 });
    expect(back.metric).toBe(0);
    // Assess: it received the same notice twice and recorded it once (same Idempotency-Key); all acknowledged, no address kept.
    expect(recipients.received('invoicing')).toHaveLength(1);
    expect((await notices()).every((n) => n.status === 'acknowledged')).toBe(true);
    expect((await notices()).find((n) => n.recipientId === 'invoicing')?.attempts).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(await noticeItems())).not.toContain(EMAIL);

    // Act: read the request's audit entries
    const chain = ((
      await db.doc.send(
        new ScanCommand({
          TableName: TABLE_NAMES.audit,
          FilterExpression: 'requestId = :r',
          ExpressionAttributeValues: { ':r': ID },
        }),
      )
    ).Items ?? []) as AuditEntry[];
    // Assess: an unbroken chain: two notifications, then invoicing's acknowledgement, without the address
    chain.sort((a, b) => a.seq.localeCompare(b.seq));
    expect(firstBrokenLink(chain)).toBe(-1);
    expect(chain.map((e) => e.action)).toEqual([
      'recipients.notified',
      'recipients.notified',
      'recipient.acknowledged',
    ]);
    expect(chain.at(-1)?.details).toMatchObject({ recipient: 'invoicing' });
    expect(JSON.stringify(chain)).not.toContain(EMAIL);
  });

  it('keeps pending notices out of the staff lists of requests', async () => {
    // Prepare: the request store, over the table that holds the notices too
    const { dynamoRequestStore: store } = await import('../../functions/aws/request-store.ts');
    // Act: list requests as staff do
    const page = await store(db.doc, TABLE_NAMES.requests).list({ limit: 50 });
    // Assess: only the request, no notice
    expect(page.items.map((i) => i.sk)).toEqual(['REQUEST']);
  });
});

describe('Recipients on the embedded runtime: an objection instructs the marketing processors (P6, P13)', () => {
  let rt: Runtime;
  let recipientsUrl: string;
  const luc = DEMO_CUSTOMERS.luc;
  const received = async (id: string) =>
    (await (await fetch(`${recipientsUrl}/${id}/received`)).json()) as ReceivedNotice[];

  beforeAll(async () => {
    rt = await startRuntime({ clock: '2026-11-25T09:00:00Z' });
    recipientsUrl = (JSON.parse(readFileSync(join(rt.dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo)
      .recipients;
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it('tells the e-mail marketing and direct-mailing processors to stop, once each, and no one else', async () => {
    // Prepare: Luc objects to direct marketing in French (no approval needed, Art. 21(3)) and verifies.
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'objection', email: luc.email, language: 'fr', scope: ['direct_marketing'] },
    });
    expect(filed.status).toBe(202);
    const id = filed.json.id as string;
    const mail = await waitForMail(rt.sesUrl, luc.email, (m) => /\d{8}/.test(m.body.text ?? ''));
    const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, {
      body: { code: codeIn(mail) },
    });
    expect(verified.status).toBe(200);
    // Act: the workflow runs to the end.
    await eventually(
      async () => {
        const s = await call(rt.apiUrl, 'GET', `/requests/${id}`, {
          token: verified.json.statusToken as string,
        });
        return s.json.status === 'completed' ? s : undefined;
      },
      60_000,
      'the objection to complete',
    );
    // Assess: each marketing processor was told once to stop processing
    for (const processor of ['email-marketing', 'direct-mailing']) {
      const notices = await eventually(async () => {
        const got = await received(processor);
        return got.length > 0 ? got : undefined;
      });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        idempotencyKey: `${id}:${processor}`,
        body: { event: 'objection', instruction: 'stop_processing', subject: { email: luc.email } },
      });
    }
    // Assess: invoicing and re-orders were told nothing
    expect(await received('invoicing')).toHaveLength(0);
    expect(await received('reorders')).toHaveLength(0);
    // Assess: the logs name the notice but not his address
    const logs = rt.logs().join('\n');
    expect(logs).toContain(`${id}:email-marketing`);
    expect(logs).not.toContain(luc.email);
  });

  it('tells Jan which recipients confirmed his rectification and which will still be told, while invoicing is down (P13, P10, Art. 19)', async () => {
    // Prepare: the invoicing processor's endpoint stops answering (503)
    const jan = DEMO_CUSTOMERS.jan;
    const setMode = (mode: string) =>
      fetch(`${recipientsUrl}/invoicing/mode`, { method: 'POST', body: JSON.stringify({ mode }) });
    expect((await setMode('down')).status).toBe(200);
    try {
      // Act: Jan corrects his last name in Dutch; verified, approved, carried out
      const body = {
        type: 'rectification',
        email: jan.email,
        language: 'nl',
        changes: { lastName: 'Peeters-Claes' },
      };
      const { id, token } = await fileAndVerify(rt, body, [jan.email]);
      const { done } = await approveAndFinish(rt, id, token);
      const mail = await waitForMail(rt.sesUrl, jan.email, (m) => m.subject.includes('correctie'));
      const text = mail.body.text ?? '';

      // Assess: the rectification completed; the notice store holds re-orders acknowledged and invoicing still sent
      expect(done.status).toBe('completed');
      const staff = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, {
        token: await rt.staffToken('viewer'),
      });
      const notices = (
        staff.json.notices as { recipientId: string; status: string; lastError?: string }[]
      ).sort((a, b) => a.recipientId.localeCompare(b.recipientId));
      expect(notices.map((n) => [n.recipientId, n.status, n.lastError])).toEqual([
        ['invoicing', 'sent', 'HTTP503'],
        ['reorders', 'acknowledged', undefined],
      ]);
      // Assess: the mail says told for re-orders, will be told for invoicing, and nothing of the list processors
      expect(text).toContain(
        'We hebben deze ontvangers van uw gegevens op de hoogte gebracht en zij hebben de ontvangst bevestigd: Voorbeeld Logistiek BV.',
      );
      expect(text).toContain(
        'Ook deze ontvangers van uw gegevens brengen we op de hoogte: Voorbeeld Facturatie NV.',
      );
      expect(text).not.toMatch(/E-mailmarketing|Direct Mailing/);
      expect(await received('reorders')).toEqual([
        expect.objectContaining({
          idempotencyKey: `${id}:reorders`,
          body: expect.objectContaining({ event: 'rectification' }),
        }),
      ]);
      expect((await received('invoicing')).filter((n) => n.idempotencyKey === `${id}:invoicing`)).toEqual([]);
    } finally {
      await setMode('acknowledge');
    }
  });

  it('names in the access report of Jan, who is on no mailing list, neither list processor (P1, P13, CJEU C-154/21)', async () => {
    // Act: Jan asks for access in Dutch; verified, approved, carried out; his report is fetched from the mail's link
    const jan = DEMO_CUSTOMERS.jan;
    const { id, token, seen } = await fileAndVerify(
      rt,
      { type: 'access', email: jan.email, language: 'nl' },
      [jan.email],
    );
    const { done } = await approveAndFinish(rt, id, token);
    const mail = await waitForMail(
      rt.sesUrl,
      jan.email,
      (m) => !seen.has(m.messageId) && linksIn(m).length > 0,
    );
    const pages = await Promise.all(linksIn(mail).map(download));
    const report = pages.find((p) => p.file.headers.get('content-type')?.startsWith('text/html'));
    const html = report?.body.toString('utf8') ?? '';

    // Assess: his invoicing and re-orders processors named; the e-mail marketing and direct-mailing ones nowhere
    expect(done.status).toBe('completed');
    expect(html).toContain(jan.customerNumber);
    expect(html).toContain('Voorbeeld Facturatie NV');
    expect(html).toContain('Voorbeeld Logistiek BV');
    expect(html).not.toContain('Voorbeeld E-mailmarketing BV');
    expect(html).not.toContain('Voorbeeld Direct Mailing BV');
    expect(html).toContain('Uit dit systeem gingen geen gegevens van u naar een andere organisatie.');
  });
});
