// Bounces and complaints on the embedded runtime (P10, P4: the subject must actually be reached): the local SES's
// mailbox simulator bounces or complains about mail to its addresses and hands the event, in the SNS shape SES
// publishes on AWS, to the same MailEvents handler. The request is marked, staff see it in the queue and on the
// request page with the messages sent, and it is not reported answered until staff record reaching the subject.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestKey } from '../../functions/core/request.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, codeIn, eventually, waitForMail } from '../helpers/api.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { fileAndVerify, reachStatus } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const BOUNCE = 'bounce@simulator.amazonses.com';
const BOUNCE_LATER = 'bounce+answer@simulator.amazonses.com';
const COMPLAINT = 'complaint@simulator.amazonses.com';

let rt: Runtime;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  rt = await startRuntime();
  doc = runtimeDocumentClient(rt.dynamodbEndpoint);
});

afterAll(async () => {
  await rt?.stop();
});

type Detail = Record<string, unknown> & {
  delivery?: Record<string, unknown>;
  messages: Record<string, unknown>[];
  audit: { action: string; actor: string; details?: Record<string, unknown> }[];
};

const detail = async (id: string) =>
  (await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, { token: await rt.staffToken('viewer') }))
    .json as Detail;

/** Waits until the request's standing bounce or complaint is the one asked for. */
const marked = (id: string, state: string, messageKind: string) =>
  eventually(
    async () => {
      const d = await detail(id);
      // the audit entry comes last: once it is there, the handler has done all it does
      const audited = actions(d, `message.${state}`).some((e) => e.details?.messageKind === messageKind);
      return d.delivery?.state === state && d.delivery.messageKind === messageKind && audited ? d : undefined;
    },
    30_000,
    `${state} ${messageKind}`,
  );

const reached = async (id: string, body: unknown, role: 'viewer' | 'approver' = 'approver') =>
  call(rt.apiUrl, 'POST', `/admin/requests/${id}/reached`, { token: await rt.staffToken(role), body });

const stored = async (id: string) =>
  (
    await doc.send(
      new GetCommand({ TableName: TABLE_NAMES.requests, Key: requestKey(id), ConsistentRead: true }),
    )
  ).Item as Record<string, unknown>;

const actions = (d: Detail, action: string) => d.audit.filter((e) => e.action === action);

/** The simulator's event for a message, as GET /events lists them. */
const eventFor = async (messageId: string) => {
  const { events } = (await (await fetch(`${rt.sesUrl}/events`)).json()) as {
    events: { id: string; detail: { mail: { messageId: string } } }[];
  };
  const event = events.find((e) => e.detail.mail.messageId === messageId);
  if (!event) throw new Error(`No event for ${messageId}`);
  return event;
};

/** SNS delivers at least once: the local SES hands the same event to the handler again, and answers once it ran. */
const replay = async (eventId: string) => {
  const res = await fetch(`${rt.sesUrl}/events/replay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: eventId }),
  });
  expect(res.status).toBe(202);
};

const file = async (email: string) => {
  const filed = await call(rt.apiUrl, 'POST', '/requests', {
    body: { type: 'objection', email, language: 'en', scope: ['direct_marketing'] },
  });
  expect(filed.status).toBe(202);
  return filed.json.id as string;
};

const shared = { bounced: '', codeMessageId: '' };

describe('Bounces and complaints (P10, P4)', () => {
  it('marks a request whose code mail bounced: the queue flags it undeliverable, the detail shows the message and the bounce, the audit names kinds only (P10)', async () => {
    // Prepare
    const id = await file(BOUNCE);
    const mail = await waitForMail(rt.sesUrl, BOUNCE, (m) => codeIn(m) !== '');

    // Act
    const d = await marked(id, 'bounced', 'code');

    // Assess: the detail
    expect(d.attention).toBe('undeliverable');
    expect(d.answered).toBe(false);
    expect(d.messages).toEqual([
      { id: mail.messageId, kind: 'code', to: 'subject', at: expect.any(String), delivery: 'bounced' },
    ]);
    expect(d.delivery).toEqual({
      state: 'bounced',
      at: expect.any(String),
      messageKind: 'code',
      to: 'subject',
    });
    const audited = actions(d, 'message.bounced');
    expect(audited).toEqual([
      expect.objectContaining({ actor: 'system', details: { messageKind: 'code', to: 'subject' } }),
    ]);
    expect(JSON.stringify(d.audit)).not.toContain('@');
    // Assess: the queue
    const list = await call(rt.apiUrl, 'GET', '/admin/requests?status=awaiting_verification&limit=100', {
      token: await rt.staffToken('viewer'),
    });
    const item = (list.json.items as Record<string, unknown>[]).find((i) => i.id === id);
    expect(item?.attention).toBe('undeliverable');
    shared.bounced = id;
    shared.codeMessageId = mail.messageId;
  });

  it('logs every mail about a request with its kind, role and SES id, never the address or the text (P10, P15)', async () => {
    // Prepare
    const an = DEMO_CUSTOMERS.an;
    const { id } = await fileAndVerify(rt, { type: 'access', email: an.email, language: 'nl' }, [an.email]);

    // Act
    const d = await detail(id);
    const items = (
      await doc.send(
        new QueryCommand({
          TableName: TABLE_NAMES.requests,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
          ExpressionAttributeValues: { ':pk': `REQ#${id}`, ':m': 'MSG#' },
        }),
      )
    ).Items;

    // Assess
    expect(d.messages).toEqual([expect.objectContaining({ kind: 'code', to: 'subject', delivery: 'sent' })]);
    expect(d.delivery).toBeUndefined();
    expect(d.attention).toBeUndefined();
    expect(items).toHaveLength(1);
    // Exactly these attributes: no address, no subject line, no text
    expect(Object.keys(items?.[0] ?? {}).sort()).toEqual(
      ['delivery', 'messageId', 'messageKind', 'pk', 'sentAt', 'sk', 'to'].sort(),
    );
    expect(JSON.stringify(items)).not.toContain(an.email);
  });

  it('records how staff reached the subject: the bounce stands resolved, the audit has the means but not the note (P10)', async () => {
    // Prepare
    const id = shared.bounced;

    // Act
    const answer = await reached(id, { means: 'phone', note: 'Called the number on the contract' });

    // Assess
    expect(answer.status).toBe(200);
    const d = await detail(id);
    expect(d.attention).toBeUndefined();
    expect(d.delivery).toMatchObject({
      state: 'bounced',
      means: 'phone',
      reachedAt: expect.any(String),
      note: 'Called the number on the contract',
    });
    const entry = actions(d, 'subject.reached');
    expect(entry).toEqual([expect.objectContaining({ details: { means: 'phone', messageKind: 'code' } })]);
    expect(JSON.stringify(d.audit)).not.toContain('Called');
  });

  it('changes nothing when the same bounce is delivered again, even after staff reached the subject (P10)', async () => {
    // Prepare
    const id = shared.bounced;
    const before = await stored(id);
    const event = await eventFor(shared.codeMessageId);

    // Act
    await replay(event.id);

    // Assess
    const after = await stored(id);
    expect(after.version).toBe(before.version);
    const d = await detail(id);
    expect(actions(d, 'message.bounced')).toHaveLength(1);
    expect(d.delivery?.reachedAt).toBeDefined();
  });

  it('does not report a completed request answered while its outcome mail bounced, and keeps the deadline sweep on it, until staff reach the subject (P10, P9)', async () => {
    // Prepare: the code bounces too; the subject gave it by phone (the simulator keeps the mail), staff record that
    const seen = new Set<string>();
    const id = await file(BOUNCE_LATER);
    const codeMail = await waitForMail(rt.sesUrl, BOUNCE_LATER, (m) => codeIn(m) !== '');
    seen.add(codeMail.messageId);
    await marked(id, 'bounced', 'code');
    expect((await reached(id, { means: 'phone' })).status).toBe(200);
    const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, {
      body: { code: codeIn(codeMail) },
    });
    expect(verified.status).toBe(200);
    const token = verified.json.statusToken as string;

    // Act: the objection completes and its outcome mail bounces
    await reachStatus(rt, id, token, ['completed']);
    const d = await marked(id, 'bounced', 'outcome');

    // Assess: completed, but not answered; flagged, still watched by the deadline sweep
    expect(d.status).toBe('completed');
    expect(d.answered).toBe(false);
    expect(d.attention).toBe('undeliverable');
    expect(d.delivery?.reachedAt).toBeUndefined();
    expect(d.messages.map((m) => [m.kind, m.delivery])).toEqual([
      ['code', 'bounced'],
      ['outcome', 'bounced'],
    ]);
    expect((await stored(id)).openDueAt).toBeDefined();
    // The subject's own view shows nothing new
    const status = await call(rt.apiUrl, 'GET', `/requests/${id}`, { token });
    expect(Object.keys(status.json).sort()).toEqual(
      ['dueAt', 'id', 'receivedAt', 'status', 'systems', 'type'].sort(),
    );

    // Act: staff reach the subject by letter
    const answer = await reached(id, { means: 'letter' });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 'completed', answered: true });
    const after = await detail(id);
    expect(after.answered).toBe(true);
    expect(after.attention).toBeUndefined();
    expect((await stored(id)).openDueAt).toBeUndefined();
  });

  it('marks a request whose mail was complained about, and a repeated complaint changes nothing (P10)', async () => {
    // Prepare
    const id = await file(COMPLAINT);
    const mail = await waitForMail(rt.sesUrl, COMPLAINT, (m) => codeIn(m) !== '');
    const d = await marked(id, 'complained', 'code');
    const before = await stored(id);

    // Act
    await replay((await eventFor(mail.messageId)).id);

    // Assess
    expect(d.attention).toBe('undeliverable');
    expect(d.messages).toEqual([expect.objectContaining({ id: mail.messageId, delivery: 'complained' })]);
    expect(actions(d, 'message.complained')).toEqual([
      expect.objectContaining({ details: { messageKind: 'code', to: 'subject' } }),
    ]);
    expect((await stored(id)).version).toBe(before.version);
    expect(actions(await detail(id), 'message.complained')).toHaveLength(1);
  });

  it('lets no viewer record reaching the subject (403), refuses bad bodies with a 4xx, and changes nothing (P10, P15)', async () => {
    // Prepare: a request with a standing complaint
    const id = await file(COMPLAINT);
    await marked(id, 'complained', 'code');
    const before = await stored(id);

    // Act
    const answers = await Promise.all([
      reached(id, { means: 'phone' }, 'viewer'),
      reached(id, {}),
      reached(id, { means: 'pigeon' }),
      reached(id, { means: 'phone', note: 'bad\u0007note' }),
      reached(id, { means: 'phone', note: '   ' }),
      reached(id, { means: 'phone', extra: true }),
      reached(id, 'not json'),
      reached('r_nosuchrequest000000000', { means: 'phone' }),
      reached(shared.bounced, { means: 'phone' }),
    ]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([403, 400, 400, 400, 400, 400, 400, 404, 409]);
    expect((await stored(id)).version).toBe(before.version);
    expect(actions(await detail(id), 'subject.reached')).toHaveLength(0);
  });
});
