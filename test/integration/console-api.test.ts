// The staff console's read side on the embedded runtime (P9, P15, P1/P7): the queue's filters, due order and
// cursors; the request page's chain verified against the stored head; the subject's data behind the approver role,
// each opening audited; the dashboard; and the download links on the subject's own status view.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoRequestStore } from '../../functions/aws/request-store.ts';
import { type AuditEntry, chainEntry } from '../../functions/core/audit.ts';
import type { RequestRecord } from '../../functions/core/request.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { erased, requestRecord } from '../fixtures/requests.ts';
import { call, inbox } from '../helpers/api.ts';
import { download, linksIn } from '../helpers/downloads.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { approveAndFinish, fileAndVerify } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const CLOCK = '2026-06-17T08:00:00.000Z';
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.parse(CLOCK) + days * DAY).toISOString();

let rt: Runtime;
let viewer: string;
const seeded: RequestRecord[] = [];

type Item = { id: string; type: string; status: string; channel: string; daysLeft?: number; dueAt: string };
const idsOf = (items: unknown) => (items as Item[]).map((i) => i.id);
const seededIds = (items: Item[]) => items.filter((i) => seeded.some((s) => s.id === i.id));

/** Every page of a listing, following its cursor; asserts each page is full but the last. */
async function allPages(query: string, limit: number) {
  const pages: Item[][] = [];
  let cursor: string | undefined;
  do {
    const res = await call(
      rt.apiUrl,
      'GET',
      `/admin/requests?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      {
        token: viewer,
      },
    );
    expect(res.status).toBe(200);
    pages.push(res.json.items as Item[]);
    cursor = res.json.cursor as string | undefined;
  } while (cursor);
  for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
  return pages.flat();
}

beforeAll(async () => {
  rt = await startRuntime({ clock: CLOCK, env: { RATE_LIMIT_PER_SOURCE: '200' } });
  viewer = await rt.staffToken('viewer');
  // 30 requests written as the pipeline writes them: every fifth an access request by letter, received a day apart.
  const store = dynamoRequestStore(runtimeDocumentClient(rt.dynamodbEndpoint), TABLE_NAMES.requests);
  for (let i = 0; i < 30; i++) {
    const id = `r_${String(i).padStart(2, '0')}Console${'0'.repeat(13)}`;
    const closed = i % 3 === 2;
    const r = requestRecord({
      id,
      pk: `REQ#${id}`,
      email: `seeded${i}@example.be`,
      type: i % 5 === 0 ? 'access' : 'erasure',
      channel: i % 5 === 0 ? 'letter' : 'web',
      status: closed ? 'completed' : i % 4 === 1 ? 'partially_completed' : 'in_progress',
      receivedAt: at(-40 + i),
      dueAt: at(-10 + i),
      ...(closed ? { closedAt: at(-12 + i / 3), toldAt: at(-12 + i / 3) } : {}),
      ...(i % 4 === 1 && !closed ? { systems: { crm: erased(), billing: { state: 'failed' } } } : {}),
    });
    await store.create(r);
    seeded.push(r);
  }
}, 120_000);

afterAll(async () => {
  await rt?.stop();
});

describe('Staff queue (P9, P15)', () => {
  it('pages a filtered queue to its end with full pages, never losing or repeating a request (P15)', async () => {
    // Prepare: the 6 seeded access requests by letter, newest received first
    const expected = seeded
      .filter((r) => r.type === 'access' && r.channel === 'letter')
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map((r) => r.id);
    // Act: pages of two
    const items = await allPages('type=access&channel=letter', 2);
    // Assess: exactly those, in order, each row with its filters' values and no address
    expect(idsOf(seededIds(items))).toEqual(expected);
    expect(new Set(idsOf(items)).size).toBe(items.length);
    expect(items.every((i) => i.type === 'access' && i.channel === 'letter')).toBe(true);
    expect(JSON.stringify(items)).not.toContain('@example.be');
  });

  it('lists open requests by due date with the overdue first and their days left negative (P9)', async () => {
    // Act
    const items = seededIds(await allPages('order=due', 4));
    // Assess: only open ones, due dates rising, overdue ones first with negative days left
    const open = seeded.filter((r) => r.status !== 'completed');
    expect(items).toHaveLength(open.length);
    const dues = items.map((i) => i.dueAt);
    expect(dues).toEqual([...dues].sort());
    const overdue = items.filter((i) => Date.parse(i.dueAt) < Date.parse(CLOCK));
    expect(overdue.length).toBeGreaterThan(0);
    expect(items.slice(0, overdue.length)).toEqual(overdue);
    expect(overdue.every((i) => (i.daysLeft ?? 0) < 0)).toBe(true);
  });

  it('filters what needs action and one request by its id, combined with a status (P9)', async () => {
    // Act
    const needs = seededIds(await allPages('attention=needs_action', 3));
    const partial = seededIds(await allPages('attention=needs_action&status=partially_completed', 2));
    const one = await call(rt.apiUrl, 'GET', `/admin/requests?id=${seeded[7]?.id}`, { token: viewer });
    // Assess: overdue, due within a week or partially completed; never a completed one
    expect(needs.length).toBeGreaterThan(0);
    expect(needs.every((i) => i.status !== 'completed')).toBe(true);
    expect(needs.every((i) => i.status === 'partially_completed' || (i.daysLeft ?? 99) <= 7)).toBe(true);
    expect(partial.map((i) => i.status)).toEqual(partial.map(() => 'partially_completed'));
    expect(partial.length).toBe(seeded.filter((r) => r.status === 'partially_completed').length);
    expect(idsOf(one.json.items)).toEqual([seeded[7]?.id]);
  });

  it('answers 400 to a cursor that was altered, forged or given by another order, never 500 (P15)', async () => {
    // Prepare: a real cursor of the due order
    const first = await call(rt.apiUrl, 'GET', '/admin/requests?order=due&limit=2', { token: viewer });
    const cursor = first.json.cursor as string;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as {
      i: string;
      k: Record<string, unknown>;
    };
    const forge = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const bad = [
      `${cursor.slice(0, -3)}xyz`,
      forge({ ...decoded, k: { ...decoded.k, openDueAt: 7 } }),
      forge({ ...decoded, k: { ...decoded.k, extra: 'x' } }),
      forge({ i: 'byDue', k: { pk: 'x', sk: 'y', openShard: 'open', openDueAt: '' } }),
      forge(null),
    ];
    // Act: each on the due order, and the good one on the default order
    const answers = await Promise.all([
      ...bad.map((c) => call(rt.apiUrl, 'GET', `/admin/requests?order=due&cursor=${c}`, { token: viewer })),
      call(rt.apiUrl, 'GET', `/admin/requests?cursor=${cursor}`, { token: viewer }),
    ]);
    // Assess
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 400));
    expect(answers.every((a) => String(a.json.type).endsWith('invalid-cursor'))).toBe(true);
  });
});

describe('Staff dashboard (P9)', () => {
  it('counts open requests by status, overdue and failing systems, and 26 weeks of completions (P9)', async () => {
    // Act
    const res = await call(rt.apiUrl, 'GET', '/admin/dashboard', { token: viewer });
    const anonymous = await call(rt.apiUrl, 'GET', '/admin/dashboard');
    // Assess: at least the seeded figures (the demo data may add its own)
    expect(res.status).toBe(200);
    const body = res.json as {
      open: Record<string, number>;
      overdue: number;
      completions: { onTime: number; late: number }[];
      failingSystems: { system: string; requests: number }[];
      daysToComplete: Record<string, { completed: number }>;
    };
    const partial = seeded.filter((r) => r.status === 'partially_completed').length;
    expect(body.open.partially_completed).toBeGreaterThanOrEqual(partial);
    expect(body.failingSystems).toContainEqual({ system: 'billing', requests: partial });
    expect(body.overdue).toBeGreaterThan(0);
    expect(body.completions).toHaveLength(26);
    const completed = seeded.filter((r) => r.status === 'completed').length;
    expect(body.completions.reduce((n, w) => n + w.onTime + w.late, 0)).toBeGreaterThanOrEqual(completed);
    expect(body.daysToComplete.access?.completed).toBeGreaterThanOrEqual(1);
    expect(anonymous.status).toBe(401);
  });
});

describe('Request page and subject data (P15, P1/P7)', () => {
  const an = DEMO_CUSTOMERS.an;
  let id = '';
  let token = '';

  it('shows an access request’s download links on its status view once mailed, the same as the mail’s (P1, P7)', {
    timeout: 180_000,
  }, async () => {
    // Prepare: an access request, verified
    ({ id, token } = await fileAndVerify(rt, { type: 'access', email: an.email, language: 'en' }, [
      an.email,
    ]));
    const before = await call(rt.apiUrl, 'GET', `/requests/${id}`, { token });
    // Act: approved and carried out
    await approveAndFinish(rt, id, token);
    const after = await call(rt.apiUrl, 'GET', `/requests/${id}`, { token });
    // Assess: no link before; after, the links of the outcome mail, with their expiry, and they work
    expect(before.json.download).toBeUndefined();
    const mail = (await inbox(rt.sesUrl)).find(
      (m) => m.destination.to.includes(an.email) && linksIn(m).length > 0,
    );
    const shown = after.json.download as { url: string; reportUrl?: string; expiresAt: string };
    expect(new Set([shown.url, shown.reportUrl])).toEqual(new Set(linksIn(mail as never)));
    expect(Date.parse(shown.expiresAt)).toBeGreaterThan(Date.parse(CLOCK));
    await download(shown.url);
  });

  it('verifies the request’s audit chain against its stored head, and finds it broken once rewritten (P15)', async () => {
    // Prepare: the chain as stored
    const doc = runtimeDocumentClient(rt.dynamodbEndpoint);
    const detail = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, { token: viewer });
    const chain = (
      await doc.send(
        new QueryCommand({
          TableName: TABLE_NAMES.audit,
          KeyConditionExpression: 'requestId = :r',
          ExpressionAttributeValues: { ':r': id },
        }),
      )
    ).Items as AuditEntry[];
    // Act: the whole chain rewritten consistently, with an approval by someone else, every link valid again
    let previous: AuditEntry | undefined;
    for (const e of chain) {
      const actor = e.action === 'request.approved' ? 'staff:someone-else' : e.actor;
      const input = { actor, action: e.action, ...(e.details ? { details: e.details } : {}) } as const;
      previous = { ...chainEntry(id, previous, input as never, new Date(e.at)) };
      await doc.send(new PutCommand({ TableName: TABLE_NAMES.audit, Item: previous }));
    }
    const rewritten = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, { token: viewer });
    // Assess: intact before, counted whole; broken after, though every link holds, because the head does not match
    expect(detail.status).toBe(200);
    expect(detail.json.chain).toEqual({ intact: true, entries: (detail.json.audit as unknown[]).length });
    const broken = rewritten.json.chain as { intact: boolean; brokenAt?: number };
    expect(broken.intact).toBe(false);
    expect(broken.brokenAt).toBeGreaterThan(0);
  });

  it('shows an approver the address and audits each opening as subject.viewed; a viewer gets 403 (P15)', async () => {
    // Prepare
    const approver = await rt.staffToken('approver', 'approver-sub-1');
    // Act
    const shown = await call(rt.apiUrl, 'GET', `/admin/requests/${seeded[3]?.id}/subject`, {
      token: approver,
    });
    const refused = await call(rt.apiUrl, 'GET', `/admin/requests/${seeded[3]?.id}/subject`, {
      token: viewer,
    });
    const missing = await call(rt.apiUrl, 'GET', '/admin/requests/r_0000000000000000000000/subject', {
      token: approver,
    });
    const detail = await call(rt.apiUrl, 'GET', `/admin/requests/${seeded[3]?.id}`, { token: viewer });
    // Assess: the address to the approver, an audit entry naming the field and not the value, nothing to the viewer
    expect(shown.status).toBe(200);
    expect(shown.json.email).toBe(seeded[3]?.email);
    expect(refused.status).toBe(403);
    expect(missing.status).toBe(404);
    const trail = detail.json.audit as { actor: string; action: string; details?: unknown }[];
    const views = trail.filter((e) => e.action === 'subject.viewed');
    expect(views).toEqual([
      {
        actor: 'staff:approver-sub-1',
        action: 'subject.viewed',
        details: { fields: ['email'] },
        seq: expect.any(String),
        at: expect.any(String),
        hash: expect.any(String),
      },
    ]);
    expect(JSON.stringify(trail)).not.toContain('@example.be');
  });
});
