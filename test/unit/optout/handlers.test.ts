// The opt-out routes with AWS faked (P5): a GET never unsubscribes; a forged token changes nothing; the POST with
// List-Unsubscribe=One-Click does, and tells the processor with an Idempotency-Key.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { unsubscribeToken } from '../../../functions/core/unsubscribe.ts';
import { apiEvent, fakeAuditHeads, lambdaContext, setHandlerEnv } from '../../fixtures/lambda.ts';

const SECRET = 'z'.repeat(64);
const EMAIL = 'an.devos@example.be';
const dynamo = mockClient(DynamoDBDocumentClient);
fakeAuditHeads();
const secrets = mockClient(SecretsManagerClient);
const fetchMock = vi.fn<typeof fetch>();

let page: typeof import('../../../functions/api/unsubscribe-page.ts').handler;
let post: typeof import('../../../functions/api/unsubscribe.ts').handler;
let issue: typeof import('../../../functions/api/issue-unsubscribe-link.ts').handler;

beforeAll(async () => {
  setHandlerEnv({
    MARKETING_TABLE: 'system-marketing',
    CRM_TABLE: 'system-crm',
    PUBLIC_BASE_URL: 'https://privacy.example/v1',
    RECIPIENTS_BASE_URL: 'https://recipients.example',
  });
  ({ handler: page } = await import('../../../functions/api/unsubscribe-page.ts'));
  ({ handler: post } = await import('../../../functions/api/unsubscribe.ts'));
  ({ handler: issue } = await import('../../../functions/api/issue-unsubscribe-link.ts'));
});

beforeEach(() => {
  dynamo.reset();
  secrets.reset();
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
  fetchMock.mockResolvedValue(new Response('{"acknowledged":true}', { status: 200 }));
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand, { TableName: 'audit' }).resolves({ Items: [] });
  dynamo.on(QueryCommand, { TableName: 'requests' }).resolves({ Items: [] });
  dynamo.on(QueryCommand, { TableName: 'system-marketing' }).resolves({
    Items: [{ pk: 'CUST#C-100234', sk: 'LIST#newsletter', email: EMAIL }],
  });
  // CRM: her customer partition, found by the address index; the consent update answers nothing.
  dynamo.on(QueryCommand, { TableName: 'system-crm' }).resolves({ Items: [{ pk: 'CUST#C-100234' }] });
  dynamo.on(UpdateCommand, { TableName: 'system-crm' }).resolves({});
  dynamo.on(UpdateCommand, { TableName: 'system-marketing' }).resolves({
    Attributes: {
      pk: 'SUPPRESSED#s_x',
      sk: 'SUPPRESSION',
      subjectRef: 's_x',
      lists: new Set(['newsletter']),
      reasons: new Set(['opt_out']),
      since: 'now',
      updatedAt: 'now',
    },
  });
  dynamo.on(UpdateCommand, { TableName: 'requests' }).callsFake((input) => ({
    Attributes: {
      pk: input.Key.pk,
      sk: input.Key.sk,
      recipientId: input.ExpressionAttributeValues[':rid'],
      event: input.ExpressionAttributeValues[':event'],
      idempotencyKey: input.ExpressionAttributeValues[':key'],
      status: 'sent',
      attempts: 1,
      firstSentAt: 'now',
      lastAttemptAt: 'now',
      payload: input.ExpressionAttributeValues[':payload'],
    },
  }));
  dynamo.on(DeleteCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
});

afterEach(() => {
  vi.unstubAllGlobals();
});

// The token is a JWE now (async to make); made once, it is the same for every test (a synthetic IV).
let issued = '';
beforeAll(async () => {
  issued = await unsubscribeToken(SECRET, { email: EMAIL, list: 'newsletter', language: 'nl' });
});
const token = () => issued;
const get = (t: string, headers: Record<string, string> = {}, lang?: string) =>
  page(
    {
      ...apiEvent({ method: 'GET', path: `/unsubscribe/${t}`, pathParameters: { token: t }, headers }),
      queryStringParameters: lang ? { lang } : null,
    },
    lambdaContext(),
  );
const form = (t: string, body = 'List-Unsubscribe=One-Click', type = 'application/x-www-form-urlencoded') =>
  post(
    apiEvent({
      method: 'POST',
      path: `/unsubscribe/${t}`,
      pathParameters: { token: t },
      headers: { 'Content-Type': type },
      body,
    }),
    lambdaContext(),
  );
const forged = () => {
  const t = token();
  return `${t.slice(0, 10)}${t[10] === 'A' ? 'B' : 'A'}${t.slice(11)}`;
};
const writes = () =>
  [
    ...dynamo.commandCalls(UpdateCommand),
    ...dynamo.commandCalls(DeleteCommand),
    ...dynamo.commandCalls(PutCommand),
  ].length;

describe('Route: GET /unsubscribe/{token} (P5)', () => {
  it('shows a Dutch confirmation page with a button that POSTs List-Unsubscribe=One-Click', async () => {
    // Prepare: a link issued for her newsletter, in Dutch
    const link = token();
    // Act
    const res = await get(link);
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="nl"');
    expect(res.body).toContain('de nieuwsbrief van JSM');
    expect(res.body).toMatch(/<form method="post">/);
    expect(res.body).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(res.body).toMatch(/<button type="submit">Uitschrijven<\/button>/);
    expect(res.body).not.toContain(EMAIL);
    expect(res.headers?.['referrer-policy']).toBe('no-referrer');
  });

  it('never unsubscribes: no store is touched and no processor is told', async () => {
    // Prepare
    const link = token();
    // Act
    await get(link);
    await get(link, {}, 'fr');
    // Assess
    expect(dynamo.calls()).toHaveLength(0);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('switches language with ?lang= (P18)', async () => {
    // Prepare
    const link = token();
    // Act
    const res = await get(link, {}, 'fr');
    // Assess
    expect(res.body).toContain('<html lang="fr"');
    expect(res.body).toContain('Me désinscrire');
  });

  it('answers a forged token with a 400 problem, or a 400 page to a browser', async () => {
    // Prepare
    const link = forged();
    // Act
    const api = await get(link);
    const browser = await get(link, { Accept: 'text/html,*/*', 'Accept-Language': 'fr-BE,fr' });
    // Assess
    expect(api.statusCode).toBe(400);
    expect(api.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(api.body).type).toBe('https://privacy.jsm.be/problems/invalid-unsubscribe-token');
    expect(browser.statusCode).toBe(400);
    expect(browser.body).toContain('Ce lien de désinscription est invalide');
    expect(browser.body).not.toContain('<form');
  });
});

describe('Route: POST /unsubscribe/{token} (P5, RFC 8058)', () => {
  it('takes her off the newsletter, suppresses her keyed hash and tells the processor with an Idempotency-Key', async () => {
    // Prepare: her newsletter entry is in the marketing table (beforeEach)
    // Act
    const res = await form(token());
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('U bent uitgeschreven voor de nieuwsbrief van JSM');
    const suppression = dynamo.commandCalls(UpdateCommand, { TableName: 'system-marketing' })[0]?.args[0]
      .input;
    expect(suppression?.Key?.pk).toMatch(/^SUPPRESSED#s_/);
    expect(JSON.stringify(suppression)).not.toContain(EMAIL);
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toEqual({
      pk: 'CUST#C-100234',
      sk: 'LIST#newsletter',
    });
    // CRM: only her partition key is read, and only the newsletter consent's withdrawal is written (P5, Art. 7(3)).
    const lookup = dynamo.commandCalls(QueryCommand, { TableName: 'system-crm' })[0]?.args[0].input;
    expect(lookup).toMatchObject({ IndexName: 'byEmail', ProjectionExpression: 'pk' });
    const consent = dynamo.commandCalls(UpdateCommand, { TableName: 'system-crm' })[0]?.args[0].input;
    expect(consent?.Key).toEqual({ pk: 'CUST#C-100234', sk: 'CONSENT#newsletter' });
    expect(consent?.ConditionExpression).toBe('granted = :given');
    expect(consent?.ExpressionAttributeValues).toMatchObject({ ':no': false, ':ch': 'one_click' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('https://recipients.example/email-marketing/notices');
    expect(((init?.headers ?? {}) as Record<string, string>)['idempotency-key']).toMatch(
      /^o_[\w-]+:email-marketing$/,
    );
    expect(JSON.parse(String(init?.body))).toMatchObject({ event: 'opt_out', subject: { email: EMAIL } });
    // Audit entries name the pseudonymous opt-out, never her.
    // An entry with a fact key is written with its key in one transaction
    const chained = dynamo
      .commandCalls(TransactWriteCommand)
      .flatMap((c) => c.args[0].input.TransactItems ?? [])
      .map((t) => t.Put?.Item)
      .filter((i) => i?.action);
    const audit = [
      ...dynamo.commandCalls(PutCommand, { TableName: 'audit' }).map((c) => c.args[0].input.Item),
      ...chained,
    ];
    expect(audit.map((e) => e?.action)).toEqual(['optout.received', 'recipients.notified']);
    expect(JSON.stringify(audit)).not.toContain(EMAIL);
  });

  it('accepts the multipart form of the RFC example', async () => {
    // Prepare
    const boundary = '---FormBoundaryjWmhtjORrn';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    // Act
    const res = await form(token(), body, `multipart/form-data; boundary=${boundary}`);
    // Assess
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ['a forged token', () => form(forged()), 400, 'invalid-unsubscribe-token'],
    [
      'a body without List-Unsubscribe=One-Click',
      () => form(token(), 'yes=please'),
      400,
      'one-click-required',
    ],
    ['a JSON body', () => form(token(), '{}', 'application/json'), 415, 'unsupported-media-type'],
  ])('answers %s with a problem and changes nothing', async (_what, act, status, type) => {
    // Prepare: the marketing table and the processor are faked (beforeEach)
    // Act
    const res = await act();
    // Assess
    expect(res.statusCode).toBe(status);
    expect(JSON.parse(res.body).type).toBe(`https://privacy.jsm.be/problems/${type}`);
    expect(writes()).toBe(0);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe('Route: POST /admin/unsubscribe-links (P5)', () => {
  const call = (role: string, body: unknown) =>
    issue(
      apiEvent({ body: JSON.stringify(body), claims: { sub: 'staff-1', 'cognito:groups': role } }),
      lambdaContext(),
    );

  it('issues the signed URL with the List-Unsubscribe headers to an admin, and audits it without the address (P15)', async () => {
    // Prepare
    const body = { email: EMAIL, list: 'newsletter', language: 'nl' };
    // Act
    const res = await call('admin', body);
    // Assess
    expect(res.statusCode).toBe(200);
    const link = JSON.parse(res.body);
    expect(link.url).toBe(`https://privacy.example/v1/unsubscribe/${token()}`);
    expect(link.headers).toEqual({
      'List-Unsubscribe': `<${link.url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const audit = dynamo.commandCalls(PutCommand, { TableName: 'audit' })[0]?.args[0].input.Item;
    expect(audit).toMatchObject({ actor: 'staff:staff-1', action: 'unsubscribe_link.issued' });
    expect(JSON.stringify(audit)).not.toContain(EMAIL);
  });

  it('refuses an approver (403) and an unknown list (400)', async () => {
    // Prepare
    const newsletter = { email: EMAIL, list: 'newsletter' };
    // Act
    const approver = await call('approver', newsletter);
    const unknownList = await call('admin', { email: EMAIL, list: 'sms' });
    // Assess
    expect(approver.statusCode).toBe(403);
    expect(unknownList.statusCode).toBe(400);
  });
});
