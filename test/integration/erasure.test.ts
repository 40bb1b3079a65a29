// Erasure end to end on the embedded runtime (P3, P8, P9, P10, P15, P18): the real API server, DynamoDB Local,
// the local SES, s3rver and the Step Functions interpreter running the ASL that the CDK app synthesizes.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, firstBrokenLink } from '../../functions/core/audit.ts';
import { SYSTEMS } from '../../functions/core/schemas.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, codeIn, eventually, inbox, waitForMail } from '../helpers/api.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const an = DEMO_CUSTOMERS.an;
// Everything that identifies her; none of it may survive outside the restricted invoices.
const HER = [
  an.email,
  an.phone,
  an.iban ?? '',
  an.customerNumber,
  `${an.firstName} ${an.lastName}`,
  an.lastName,
];

let rt: Runtime;
let doc: DynamoDBDocumentClient;
let sfn: SFNClient;

const aws = { region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

beforeAll(async () => {
  // Limits are configuration: this suite lowers the per-address one to test it, and raises the per-source one
  // because every call here comes from the same loopback address.
  rt = await startRuntime({
    clock: '2026-11-25T09:00:00Z',
    env: { RATE_LIMIT_PER_ADDRESS: '3', RATE_LIMIT_PER_SOURCE: '200' },
  });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ ...aws, endpoint: rt.dynamodbEndpoint }));
  sfn = new SFNClient({ ...aws, endpoint: rt.awsLocalUrl });
});

afterAll(async () => {
  await rt?.stop();
});

async function fileAndVerify(email: string, language: 'nl' | 'fr' | 'en') {
  const filed = await call(rt.apiUrl, 'POST', '/requests', { body: { type: 'erasure', email, language } });
  expect(filed.status).toBe(202);
  const id = filed.json.id as string;
  const mail = await waitForMail(rt.sesUrl, email, (m) => /\d{8}/.test(m.body.text ?? ''));
  const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: codeIn(mail) } });
  expect(verified.status).toBe(200);
  return { id, token: verified.json.statusToken as string, dueAt: filed.json.dueAt as string };
}

const statusOf = async (id: string, token: string) => call(rt.apiUrl, 'GET', `/requests/${id}`, { token });

describe('Erasure end to end (P3)', () => {
  let id: string;
  let token: string;

  it('files, verifies with the e-mailed code, locates her in every system and waits for approval (P8)', async () => {
    ({ id, token } = await fileAndVerify(an.email, 'nl'));
    const located = await eventually(
      async () => {
        const s = await statusOf(id, token);
        const systems = s.json.systems as { system: string; located?: { found: boolean } }[];
        return s.json.status === 'awaiting_approval' &&
          systems.length === 4 &&
          systems.every((x) => x.located)
          ? s
          : undefined;
      },
      30_000,
      'the subject to be located in every system',
    );
    const systems = located.json.systems as {
      system: string;
      located: { found: boolean; records: number };
    }[];
    expect(systems.map((s) => s.system).sort()).toEqual([...SYSTEMS].sort());
    expect(systems.every((s) => s.located.found && s.located.records > 0)).toBe(true);
    // The approval notice went to staff, naming the request but nothing about her.
    const notice = await waitForMail(rt.sesUrl, 'privacy-team@jsm.be', (m) => m.subject.includes(id));
    expect(notice.body.text).not.toContain(an.lastName);
  });

  it('acts only after an approver approves; a viewer cannot (P15)', async () => {
    const viewer = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, {
      token: await rt.staffToken('viewer'),
    });
    expect(viewer.status).toBe(403);
    const approved = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, {
      token: await rt.staffToken('approver'),
    });
    expect(approved.status).toBe(200);
    const done = await eventually(
      async () => {
        const s = await statusOf(id, token);
        return ['completed', 'partially_completed'].includes(s.json.status as string) ? s : undefined;
      },
      60_000,
      'the erasure to finish',
    );
    expect(done.json.status).toBe('completed');
  });

  it('leaves no record of hers in any system except the restricted invoices (P3)', async () => {
    for (const system of SYSTEMS) {
      const items = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system(system) }))).Items ?? [];
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        if (String(item.pk).startsWith('OPS#')) continue; // the connector's own idempotency markers: ids and counts
        const text = JSON.stringify(item);
        const isRetainedInvoice =
          system === 'billing' && String(item.sk).startsWith('INVOICE#') && item.restricted === true;
        if (isRetainedInvoice) {
          for (const field of ['email', 'phone', 'iban', 'creditScore'])
            expect(item).not.toHaveProperty(field);
          expect(text).not.toContain(an.email);
          expect(text).not.toContain(an.phone);
          expect(text).not.toContain(an.iban);
        } else {
          for (const value of HER) expect(text, `${system} ${item.pk}/${item.sk}`).not.toContain(value);
        }
      }
    }
  });

  it('keeps at least three invoices until 31 December of invoice year + 10 (Belgian VAT Code art. 60 §4)', async () => {
    const items = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system('billing') }))).Items ?? [];
    const invoices = items.filter((i) => i.restricted === true && String(i.sk).startsWith('INVOICE#'));
    expect(invoices.length).toBeGreaterThanOrEqual(3);
    for (const inv of invoices) {
      const year = Number(String(inv.invoiceDate ?? inv.date).slice(0, 4));
      expect(JSON.stringify(inv)).toContain(`${year + 10}-12-31`);
    }
  });

  it('tells her in Dutch what was erased, what was kept and until when, and where to complain (P10, P18)', async () => {
    const mail = await waitForMail(rt.sesUrl, an.email, (m) => m.subject.includes('uitgevoerd'));
    const text = mail.body.text ?? '';
    expect(text).toContain('Facturatie');
    expect(text).toContain('Btw-Wetboek');
    expect(text).toMatch(/31 december 20\d\d/);
    expect(text).toContain('Gegevensbeschermingsautoriteit');
    expect(text).toContain('Drukpersstraat 35');
    // Art. 19: she may learn which recipients were told (P13).
    expect(text).toMatch(/op de hoogte gebracht: .*Voorbeeld E-mailmarketing BV/);
    expect(mail.headers?.some((h) => h.name === 'X-Idempotency-Key')).toBe(true);
  });

  it('keeps a tamper-evident audit chain of every step, with no personal data (P15)', async () => {
    const out = await doc.send(
      new QueryCommand({
        TableName: TABLE_NAMES.audit,
        KeyConditionExpression: 'requestId = :r',
        ExpressionAttributeValues: { ':r': id },
      }),
    );
    const chain = (out.Items ?? []) as AuditEntry[];
    expect(firstBrokenLink(chain)).toBe(-1);
    const actions = chain.map((e) => e.action);
    for (const a of [
      'request.received',
      'request.verified',
      'systems.located',
      'request.approved',
      'systems.acted',
      'subject.told',
      'request.closed',
    ]) {
      expect(actions).toContain(a);
    }
    for (const value of HER) expect(JSON.stringify(chain)).not.toContain(value);
  });

  it('puts no personal data in any log line or workflow payload (P15)', async () => {
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: await executionArn(id), maxResults: 1000 }),
    );
    expect(history.events?.length).toBeGreaterThan(5);
    const payloads = JSON.stringify(history.events);
    const logs = rt.logs().join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const value of [an.email, an.iban ?? '', `${an.firstName} ${an.lastName}`, an.lastName]) {
      expect(payloads).not.toContain(value);
      expect(logs).not.toContain(value);
    }
  });

  it('shows staff the outcomes and the audit trail, and audits that view (P15)', async () => {
    const detail = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, {
      token: await rt.staffToken('viewer'),
    });
    expect(detail.status).toBe(200);
    expect(detail.json.status).toBe('completed');
    const audit = detail.json.audit as { action: string }[];
    expect(audit.some((e) => e.action === 'request.viewed')).toBe(true);
    const list = await call(rt.apiUrl, 'GET', '/admin/requests?status=completed&type=erasure', {
      token: await rt.staffToken('viewer'),
    });
    expect((list.json.items as { id: string }[]).map((i) => i.id)).toContain(id);
  });
});

/** The request's first execution: the state machine's ARN with the request id as the execution name. */
async function executionArn(id: string) {
  return `${rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;
}

describe('Refusals and bad input (P8, P10)', () => {
  it('tells a rejected subject why, where to complain and that they may go to court, in French', async () => {
    const luc = DEMO_CUSTOMERS.luc;
    const { id, token } = await fileAndVerify(luc.email, 'fr');
    await eventually(async () =>
      (await statusOf(id, token)).json.status === 'awaiting_approval' ? true : undefined,
    );
    const rejected = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/reject`, {
      token: await rt.staffToken('approver'),
      body: { reason: 'manifestly_unfounded' },
    });
    expect(rejected.status).toBe(200);
    const mail = await waitForMail(rt.sesUrl, luc.email, (m) => m.subject.includes("n'a pas été exécutée"));
    expect(mail.body.text).toContain('Autorité de protection des données');
    expect(mail.body.text).toContain('article 79');
    // Nothing was erased: Luc is still in CRM.
    const crm = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system('crm') }))).Items ?? [];
    expect(JSON.stringify(crm)).toContain(luc.email);
  });

  it('rejects the request on the fifth wrong code', async () => {
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'erasure', email: 'someone@example.org' },
    });
    const id = filed.json.id as string;
    const code = codeIn(await waitForMail(rt.sesUrl, 'someone@example.org'));
    const wrong = code === '00000000' ? '11111111' : '00000000';
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push(
        (await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: wrong } })).status,
      );
    expect(answers).toEqual([400, 400, 400, 400, 400]);
    const right = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code } });
    expect(right.status).toBe(409);
    const detail = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, {
      token: await rt.staffToken('viewer'),
    });
    expect(detail.json.status).toBe('rejected');
    expect(detail.json.rejection).toMatchObject({ reason: 'verification_failed' });
  });

  it.each([
    ['malformed JSON', '{"type":"erasure",'],
    ['an unknown field', { type: 'erasure', email: 'x@example.be', note: 'hi' }],
    ['a bad e-mail', { type: 'erasure', email: 'not-an-email' }],
    ['an unknown type', { type: 'forget-me', email: 'x@example.be' }],
    ['a rectification without changes', { type: 'rectification', email: 'x@example.be' }],
    ['an objection of an unknown scope', { type: 'objection', email: 'x@example.be', scope: ['cookies'] }],
    [
      'an unconfirmed recipient',
      {
        type: 'portability',
        email: 'x@example.be',
        recipient: { organisation: 'Other NV', email: 'dpo@other.example' },
      },
    ],
  ])('answers 400 problem+json to %s and stores nothing', async (_what, body) => {
    const before = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.requests, Select: 'COUNT' })))
      .Count;
    const mails = (await inbox(rt.sesUrl)).length;
    const res = await call(rt.apiUrl, 'POST', '/requests', { body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.type).toMatch(/^https:\/\/privacy\.jsm\.be\/problems\//);
    const after = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.requests, Select: 'COUNT' })))
      .Count;
    expect(after).toBe(before);
    expect((await inbox(rt.sesUrl)).length).toBe(mails);
  });

  it('gives the same answer and one request for a repeated Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': 'test-key-0001' };
    const body = { type: 'erasure', email: 'twice@example.org', language: 'en' };
    const a = await call(rt.apiUrl, 'POST', '/requests', { body, headers });
    const b = await call(rt.apiUrl, 'POST', '/requests', { body, headers });
    expect(a.status).toBe(202);
    expect(b.json).toEqual(a.json);
    const mails = (await inbox(rt.sesUrl)).filter((m) => m.destination.to.includes('twice@example.org'));
    expect(mails).toHaveLength(1);
  });

  it('limits requests per address: the fourth within the window is refused with 429 and stores nothing', async () => {
    const body = { type: 'erasure', email: 'often@example.org' };
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await call(rt.apiUrl, 'POST', '/requests', { body })).status);
    expect(answers).toEqual([202, 202, 202, 429]);
    const mails = (await inbox(rt.sesUrl)).filter((m) => m.destination.to.includes('often@example.org'));
    expect(mails).toHaveLength(3);
  });

  it('resends a new code that works while the old one no longer does', async () => {
    const email = 'resend@example.org';
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'erasure', email, language: 'en' },
    });
    const id = filed.json.id as string;
    const first = codeIn(await waitForMail(rt.sesUrl, email));
    const resent = await call(rt.apiUrl, 'POST', `/requests/${id}/resend`);
    expect(resent.status).toBe(202);
    const second = codeIn(await waitForMail(rt.sesUrl, email, (m) => codeIn(m) !== first));
    expect((await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: first } })).status).toBe(
      400,
    );
    expect((await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: second } })).status).toBe(
      200,
    );
  });

  it('refuses a status query without the right token, and staff routes without login', async () => {
    const { id } = await fileAndVerify('noor.elamrani@example.be', 'en');
    expect((await statusOf(id, 'forged')).status).toBe(401);
    expect((await call(rt.apiUrl, 'GET', '/admin/requests')).status).toBe(401);
    expect((await call(rt.apiUrl, 'GET', '/admin/requests', { token: 'not.a.jwt' })).status).toBe(401);
  });

  it('pages the staff list with a cursor, and answers 400 to a cursor it never gave', async () => {
    const viewer = await rt.staffToken('viewer');
    const first = await call(rt.apiUrl, 'GET', '/admin/requests?limit=1', { token: viewer });
    expect(first.status).toBe(200);
    const cursor = first.json.cursor as string;
    expect(cursor).toBeTruthy();
    const second = await call(rt.apiUrl, 'GET', `/admin/requests?limit=1&cursor=${cursor}`, {
      token: viewer,
    });
    expect((second.json.items as { id: string }[])[0]?.id).not.toBe(
      (first.json.items as { id: string }[])[0]?.id,
    );
    for (const bad of ['zzz', Buffer.from('[1]').toString('base64url')]) {
      const res = await call(rt.apiUrl, 'GET', `/admin/requests?cursor=${bad}`, { token: viewer });
      expect(res.status).toBe(400);
      expect(res.json.type).toMatch(/invalid-cursor$/);
    }
    const foreign = await call(rt.apiUrl, 'GET', `/admin/requests?status=completed&cursor=${cursor}`, {
      token: viewer,
    });
    expect(foreign.status).toBe(400);
  });

  it('describes every route in /openapi.json', async () => {
    const res = await call(rt.apiUrl, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    const paths = Object.keys(res.json.paths as object);
    for (const p of [
      '/requests',
      '/requests/{id}/verify',
      '/requests/{id}/resend',
      '/requests/{id}',
      '/admin/requests',
      '/admin/requests/{id}',
      '/admin/requests/{id}/approve',
      '/admin/requests/{id}/reject',
    ]) {
      expect(paths).toContain(p);
    }
  });
});
