// Erasure end to end on the embedded runtime (P3, P8, P9, P10, P15, P18): the real API server, DynamoDB Local,
// the local SES, s3rver and the Step Functions interpreter running the ASL that the CDK app synthesizes.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, firstBrokenLink } from '../../functions/core/audit.ts';
import { SYSTEMS } from '../../functions/core/schemas.ts';
import { subjectRef } from '../../functions/core/secrets.ts';
import { allSystems, configuredSystem } from '../../functions/core/systems.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../local/asl.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { loadAppSecret } from '../../local/secrets.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { prospectRow, subscriberRow } from '../fixtures/subscribers.ts';
import { call, codeIn, eventually, inbox, waitForMail } from '../helpers/api.ts';
import { importAsSync } from '../helpers/marketing.ts';
import { expectComplaintRoutes, reject } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const an = DEMO_CUSTOMERS.an;
// Everything that identifies her; none of it may survive outside the restricted invoices and calls.
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
    // Act: An files an erasure in Dutch, verifies with the e-mailed code; wait until every system has located her
    ({ id, token } = await fileAndVerify(an.email, 'nl'));
    const located = await eventually(
      async () => {
        const s = await statusOf(id, token);
        const systems = s.json.systems as { system: string; located?: { found: boolean } }[];
        return s.json.status === 'awaiting_approval' &&
          systems.length === allSystems().length &&
          systems.every((x) => x.located)
          ? s
          : undefined;
      },
      30_000,
      'the subject to be located in every system',
    );
    // Assess: every system found records of hers; one without an API cannot count without asking its owner (P17)
    const systems = located.json.systems as {
      system: string;
      located: { found: boolean; records: number };
    }[];
    expect(systems.map((s) => s.system).sort()).toEqual([...allSystems()].sort());
    const counted = systems.filter((s) => configuredSystem(s.system)?.kind !== 'manual');
    expect(counted.map((s) => s.system)).toEqual(expect.arrayContaining([...SYSTEMS]));
    expect(counted.every((s) => s.located.found && s.located.records > 0)).toBe(true);
    // Assess: the approval notice went to staff, naming the request but nothing about her.
    const notice = await waitForMail(rt.sesUrl, 'privacy-team@jsm.be', (m) => m.subject.includes(id));
    expect(notice.body.text).not.toContain(an.lastName);
  });

  it('acts only after an approver approves; a viewer cannot (P15)', async () => {
    // Act: a viewer tries to approve the request filed above
    const viewer = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, {
      token: await rt.staffToken('viewer'),
    });
    // Assess: forbidden
    expect(viewer.status).toBe(403);
    // Act: an approver approves
    const approved = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, {
      token: await rt.staffToken('approver'),
    });
    // Assess: accepted, and the erasure runs to completed
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

  it('leaves no record of hers in any system except the restricted invoices and calls (P3, ECA art. 122)', async () => {
    // Act: scan every system's table
    for (const system of SYSTEMS) {
      const items = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system(system) }))).Items ?? [];
      // Assess: each still holds something; only billing's restricted invoices (fiscal) and calls (traffic data)
      // mention her, and without contact or bank data
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        if (String(item.pk).startsWith('OPS#')) continue; // the connector's own idempotency markers: ids and counts
        const text = JSON.stringify(item);
        const isRetained =
          system === 'billing' && /^(INVOICE|CALL)#/.test(String(item.sk)) && item.restricted === true;
        if (isRetained) {
          for (const field of ['email', 'phone', 'iban', 'creditScore', 'callingNumber'])
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

  it('keeps only her keyed hash on every marketing list, for the reason erasure, and no address (P3, Art. 17)', async () => {
    // Prepare: her keyed hash, as the pipeline makes it
    const secret = loadAppSecret(rt.dataDir, LOCAL_REGION, LOCAL_ACCOUNT).value;
    const ref = subjectRef(secret, an.email);
    // Act: read the marketing store's suppression entries
    const items =
      (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system('marketing') }))).Items ?? [];
    const entries = items.filter((i) => String(i.pk).startsWith('SUPPRESSED#'));
    const hers = entries.find((i) => i.pk === `SUPPRESSED#${ref}`);
    // Assess: one entry under her hash naming both lists and the erasure; nothing of her in it
    expect([...((hers?.lists ?? []) as Set<string>)].sort()).toEqual(['direct_mailing', 'newsletter']);
    expect([...((hers?.reasons ?? []) as Set<string>)]).toEqual(['erasure']);
    const text = JSON.stringify(hers, (_k, v) => (v instanceof Set ? [...v] : v));
    for (const value of HER) expect(text).not.toContain(value);
  });

  it('does not bring her back when an old list is imported again, while the other rows import (P3, Art. 17)', async () => {
    // Prepare: an old newsletter and direct-mailing export with her on both, and a new prospect
    const prospect = 'nieuwe.prospect@example.be';
    // Act: import it as the processor's sync would
    const result = await importAsSync(rt, doc, [
      subscriberRow(an, 'newsletter'),
      subscriberRow(an, 'direct_mailing'),
      prospectRow(prospect, 'Nieuwe'),
    ]);
    // Assess: her two rows suppressed, the prospect added; the marketing store lists the prospect and not her
    expect(result).toEqual({ added: 1, present: 0, suppressed: 2, invalid: 0 });
    const items =
      (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system('marketing') }))).Items ?? [];
    const listed = items.filter((i) => String(i.sk).startsWith('LIST#'));
    expect(listed.filter((i) => i.email === an.email || i.customerNumber === an.customerNumber)).toEqual([]);
    expect(listed.filter((i) => i.email === prospect)).toHaveLength(1);
    for (const item of items.filter((i) => !String(i.pk).startsWith('OPS#'))) {
      for (const value of HER) expect(JSON.stringify(item), `${item.pk}/${item.sk}`).not.toContain(value);
    }
  });

  it('keeps at least three invoices until 31 December of invoice year + 10 (P3, Belgian VAT Code art. 60 §4)', async () => {
    // Act: find the restricted invoices in billing
    const items = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system('billing') }))).Items ?? [];
    const invoices = items.filter((i) => i.restricted === true && String(i.sk).startsWith('INVOICE#'));
    // Assess: three or more, each kept until 31 December ten years after its invoice year
    expect(invoices.length).toBeGreaterThanOrEqual(3);
    for (const inv of invoices) {
      const year = Number(String(inv.invoiceDate ?? inv.date).slice(0, 4));
      expect(JSON.stringify(inv)).toContain(`${year + 10}-12-31`);
    }
  });

  it('tells her in Dutch what was erased, what was kept and until when, and where to complain (P3, P10, P18)', async () => {
    // Act: wait for the outcome mail to her
    const mail = await waitForMail(rt.sesUrl, an.email, (m) => m.subject.includes('uitgevoerd'));
    const text = mail.body.text ?? '';
    // Assess: it names billing, the VAT Code, the date kept until, and the Belgian authority with its address
    expect(text).toContain('Facturatie');
    expect(text).toContain('Btw-Wetboek');
    expect(text).toMatch(/31 december 20\d\d/);
    // Assess: her calls of this month are traffic data, kept 12 months after it (register; ECA art. 122)
    expect(text).toMatch(
      /gebruiksgegevens\) op grond van de wet betreffende de elektronische communicatie \(artikel 122.*\), tot 30 november 2027\./,
    );
    expect(text).toContain('Gegevensbeschermingsautoriteit');
    expect(text).toContain('Drukpersstraat 35');
    // Assess: what marketing keeps to honour the erasure: a keyed hash, not her address, why and for how long (Art. 17)
    expect(text).toMatch(
      /Marketing: enkel een vingerafdruk \(hash met geheime sleutel\) van uw e-mailadres, niet het adres zelf/,
    );
    expect(text).toContain('artikel 17 AVG');
    // Assess: Art. 19: she may learn which recipients were told, each having confirmed (P13); none is still pending;
    // the mail went out once, by idempotency key.
    expect(text).toMatch(/de ontvangst bevestigd: .*Voorbeeld E-mailmarketing BV/);
    expect(text).not.toContain('Ook deze ontvangers');
    expect(mail.headers?.some((h) => h.name === 'X-Idempotency-Key')).toBe(true);
  });

  it('keeps a tamper-evident audit chain of every step, with no personal data (P15)', async () => {
    // Act: read the request's audit entries
    const out = await doc.send(
      new QueryCommand({
        TableName: TABLE_NAMES.audit,
        KeyConditionExpression: 'requestId = :r',
        ExpressionAttributeValues: { ':r': id },
      }),
    );
    const chain = (out.Items ?? []) as AuditEntry[];
    // Assess: the chain verifies, holds every step, and no datum of hers
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
    // Act: read the execution history, and the runtime's logs
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: await executionArn(id), maxResults: 1000 }),
    );
    // Assess: both have content, and neither her address, IBAN nor name
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
    // Act: a viewer opens the request
    const detail = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, {
      token: await rt.staffToken('viewer'),
    });
    // Assess: the detail shows it completed, and its trail has the view itself
    expect(detail.status).toBe(200);
    expect(detail.json.status).toBe('completed');
    const audit = detail.json.audit as { action: string }[];
    expect(audit.some((e) => e.action === 'request.viewed')).toBe(true);
    // Act: a viewer lists completed erasures
    const list = await call(rt.apiUrl, 'GET', '/admin/requests?status=completed&type=erasure', {
      token: await rt.staffToken('viewer'),
    });
    // Assess: the request is among them
    expect((list.json.items as { id: string }[]).map((i) => i.id)).toContain(id);
  });
});

/** The request's first execution: the state machine's ARN with the request id as the execution name. */
async function executionArn(id: string) {
  return `${rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;
}

describe('Refusals and bad input (P8, P10)', () => {
  it('tells a rejected subject why, where to complain and that they may go to court, in French (P10, P18)', async () => {
    // Prepare: Luc's verified erasure in French, awaiting approval
    const luc = DEMO_CUSTOMERS.luc;
    const { id, token } = await fileAndVerify(luc.email, 'fr');
    await eventually(async () =>
      (await statusOf(id, token)).json.status === 'awaiting_approval' ? true : undefined,
    );
    // Act: an approver rejects it as manifestly unfounded
    const rejected = await reject(rt, id, 'manifestly_unfounded');
    // Assess: accepted; the mail to Luc names the authority and the right to go to court (art. 79)
    expect(rejected.status).toBe(200);
    const mail = await waitForMail(rt.sesUrl, luc.email, (m) => m.subject.includes("n'a pas été exécutée"));
    expectComplaintRoutes(mail.body.text, 'fr');
    // Assess: Art. 12(4)–(5): the code's own explanation, not a bare label
    expect(mail.body.text).toContain('manifestement infondée (article 12, paragraphe 5, du RGPD)');
    // Assess: nothing was erased: Luc is still in CRM.
    const crm = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system('crm') }))).Items ?? [];
    expect(JSON.stringify(crm)).toContain(luc.email);
  });

  it("tells a subject refused for another reason staff's own explanation, which no audit entry, log line or workflow payload holds (P10, P15)", async () => {
    // Prepare: Sophie's verified erasure in French, awaiting approval
    const sophie = DEMO_CUSTOMERS.sophie;
    const { id, token } = await fileAndVerify(sophie.email, 'fr');
    await eventually(async () =>
      (await statusOf(id, token)).json.status === 'awaiting_approval' ? true : undefined,
    );
    const explanation = 'Votre contrat relève de votre employeur, qui est responsable du traitement.';
    // Act: `other` without an explanation is refused; with one it is accepted
    const bare = await reject(rt, id, 'other');
    const rejected = await reject(rt, id, 'other', explanation);
    // Assess: 400 first, then 200; the mail carries staff's words, the authority and the court
    expect(bare.status).toBe(400);
    expect(rejected.status).toBe(200);
    const mail = await waitForMail(rt.sesUrl, sophie.email, (m) =>
      m.subject.includes("n'a pas été exécutée"),
    );
    expect(mail.body.text).toContain(explanation);
    expectComplaintRoutes(mail.body.text, 'fr');
    // Assess: the audit trail keeps the code only
    const detail = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, {
      token: await rt.staffToken('viewer'),
    });
    const trail = detail.json.audit as { action: string; details?: Record<string, unknown> }[];
    expect(trail.find((e) => e.action === 'request.rejected')?.details).toEqual({ reason: 'other' });
    expect(JSON.stringify(trail)).not.toContain('employeur');
    // Assess: nor in any log line or in the workflow's history (P15)
    await eventually(async () => ((await statusOf(id, token)).json.status === 'rejected' ? true : undefined));
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: await executionArn(id), maxResults: 1000 }),
    );
    expect(history.events?.length).toBeGreaterThan(0);
    expect(JSON.stringify(history.events)).not.toContain('employeur');
    expect(rt.logs().join('\n')).not.toContain('employeur');
  });

  it('rejects the request on the fifth wrong code (P8)', async () => {
    // Prepare: a filed request, its e-mailed code, and a wrong one
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'erasure', email: 'someone@example.org' },
    });
    const id = filed.json.id as string;
    const code = codeIn(await waitForMail(rt.sesUrl, 'someone@example.org'));
    const wrong = code === '00000000' ? '11111111' : '00000000';
    const answers = [];
    // Act: verify with the wrong code five times
    for (let i = 0; i < 5; i++)
      answers.push(
        (await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: wrong } })).status,
      );
    // Assess: refused each time
    expect(answers).toEqual([400, 400, 400, 400, 400]);
    // Act: verify with the right code
    const right = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code } });
    // Assess: too late: 409, and staff see the request rejected for failed verification
    expect(right.status).toBe(409);
    const detail = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, {
      token: await rt.staffToken('viewer'),
    });
    expect(detail.json.status).toBe('rejected');
    expect(detail.json.rejection).toMatchObject({ reason: 'verification_failed' });
    // Assess: the form named no language, so the refusal speaks all three, each with its reason (P10, P18)
    const refusal = await waitForMail(rt.sesUrl, 'someone@example.org', (m) => m.subject.includes(' / '));
    expect(refusal.subject.split(' / ')).toHaveLength(3);
    expect(refusal.body.text).toContain('vijf keer verkeerd ingegeven');
    expect(refusal.body.text).toContain('mal saisi cinq fois');
    expect(refusal.body.text).toContain('entered incorrectly five times');
  });

  it.each([
    ['malformed JSON', '{"type":"erasure",'],
    ['an unknown field', { type: 'erasure', email: 'x@example.be', note: 'hi' }],
    ['a bad e-mail', { type: 'erasure', email: 'not-an-email' }],
    ['an unknown type', { type: 'forget-me', email: 'x@example.be' }],
    ['a rectification without changes', { type: 'rectification', email: 'x@example.be' }],
    ['an objection of an unknown scope', { type: 'objection', email: 'x@example.be', scope: ['cookies'] }],
    [
      'a recipient the form claims is confirmed (Art. 20(2))',
      {
        type: 'portability',
        email: 'x@example.be',
        recipient: { organisation: 'Other NV', email: 'dpo@other.example', confirmed: true },
      },
    ],
  ])('answers 400 problem+json to %s and stores nothing', async (_what, body) => {
    // Prepare: the number of stored requests and of sent mails
    const before = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.requests, Select: 'COUNT' })))
      .Count;
    const mails = (await inbox(rt.sesUrl)).length;
    // Act: file the bad request
    const res = await call(rt.apiUrl, 'POST', '/requests', { body });
    // Assess: 400 problem+json with a problem type URL; nothing stored, nothing mailed
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.type).toMatch(/^https:\/\/privacy\.jsm\.be\/problems\//);
    const after = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.requests, Select: 'COUNT' })))
      .Count;
    expect(after).toBe(before);
    expect((await inbox(rt.sesUrl)).length).toBe(mails);
  });

  it('gives the same answer and one request for a repeated Idempotency-Key', async () => {
    // Prepare: one Idempotency-Key and one body
    const headers = { 'Idempotency-Key': 'test-key-0001' };
    const body = { type: 'erasure', email: 'twice@example.org', language: 'en' };
    // Act: file twice with them
    const a = await call(rt.apiUrl, 'POST', '/requests', { body, headers });
    const b = await call(rt.apiUrl, 'POST', '/requests', { body, headers });
    // Assess: the same answer twice, and one code mailed
    expect(a.status).toBe(202);
    expect(b.json).toEqual(a.json);
    const mails = (await inbox(rt.sesUrl)).filter((m) => m.destination.to.includes('twice@example.org'));
    expect(mails).toHaveLength(1);
  });

  it('limits requests per address: the fourth within the window is refused with 429 and stores nothing', async () => {
    // Prepare: one address
    const body = { type: 'erasure', email: 'often@example.org' };
    const answers = [];
    // Act: file four times from it
    for (let i = 0; i < 4; i++) answers.push((await call(rt.apiUrl, 'POST', '/requests', { body })).status);
    // Assess: three accepted, the fourth refused with 429; three codes mailed
    expect(answers).toEqual([202, 202, 202, 429]);
    const mails = (await inbox(rt.sesUrl)).filter((m) => m.destination.to.includes('often@example.org'));
    expect(mails).toHaveLength(3);
  });

  it('resends a new code that works while the old one no longer does (P8)', async () => {
    // Prepare: a filed request and its first code
    const email = 'resend@example.org';
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'erasure', email, language: 'en' },
    });
    const id = filed.json.id as string;
    const first = codeIn(await waitForMail(rt.sesUrl, email));
    // Act: ask for a new code
    const resent = await call(rt.apiUrl, 'POST', `/requests/${id}/resend`);
    // Assess: accepted, and a second code is mailed
    expect(resent.status).toBe(202);
    const second = codeIn(await waitForMail(rt.sesUrl, email, (m) => codeIn(m) !== first));
    // Act: verify with the first code, then with the second
    // Assess: the first is refused, the second accepted
    expect((await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: first } })).status).toBe(
      400,
    );
    expect((await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: second } })).status).toBe(
      200,
    );
  });

  it('refuses a status query without the right token, and staff routes without login (P8, P15)', async () => {
    // Prepare: a verified request
    const { id } = await fileAndVerify('noor.elamrani@example.be', 'en');
    // Act: query its status with a forged token, the staff list without and with a bad token
    // Assess: 401 each time
    expect((await statusOf(id, 'forged')).status).toBe(401);
    expect((await call(rt.apiUrl, 'GET', '/admin/requests')).status).toBe(401);
    expect((await call(rt.apiUrl, 'GET', '/admin/requests', { token: 'not.a.jwt' })).status).toBe(401);
  });

  it('pages the staff list with a cursor, and answers 400 to a cursor it never gave', async () => {
    // Prepare: a viewer's login
    const viewer = await rt.staffToken('viewer');
    // Act: ask for the first page of one
    const first = await call(rt.apiUrl, 'GET', '/admin/requests?limit=1', { token: viewer });
    // Assess: an answer with a cursor
    expect(first.status).toBe(200);
    const cursor = first.json.cursor as string;
    expect(cursor).toBeTruthy();
    // Act: ask for the next page with that cursor
    const second = await call(rt.apiUrl, 'GET', `/admin/requests?limit=1&cursor=${cursor}`, {
      token: viewer,
    });
    // Assess: another request
    expect((second.json.items as { id: string }[])[0]?.id).not.toBe(
      (first.json.items as { id: string }[])[0]?.id,
    );
    // Act: page with cursors it never gave
    for (const bad of ['zzz', Buffer.from('[1]').toString('base64url')]) {
      const res = await call(rt.apiUrl, 'GET', `/admin/requests?cursor=${bad}`, { token: viewer });
      // Assess: 400 invalid-cursor
      expect(res.status).toBe(400);
      expect(res.json.type).toMatch(/invalid-cursor$/);
    }
    // Act: use the cursor with another filter
    const foreign = await call(rt.apiUrl, 'GET', `/admin/requests?status=completed&cursor=${cursor}`, {
      token: viewer,
    });
    // Assess: 400
    expect(foreign.status).toBe(400);
  });

  it('describes every route in /openapi.json', async () => {
    // Act: fetch /openapi.json
    const res = await call(rt.apiUrl, 'GET', '/openapi.json');
    // Assess: OpenAPI 3.1 with every public and staff route
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
