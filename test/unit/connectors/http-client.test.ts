import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fillPath,
  HttpRefusal,
  HttpSystemClient,
  TokenBucket,
} from '../../../functions/connectors/generic/http/client.ts';
import { createHttpConnector } from '../../../functions/connectors/generic/http/connector.ts';
import { ConnectorError } from '../../../functions/core/errors.ts';
import { demoHttpSystem, httpSystemWith } from '../../fixtures/http-system.ts';

type Reply = { status: number; body?: unknown };
let server: Server | undefined;
const seen: IncomingMessage[] = [];
const bodies: string[] = [];

/** A local HTTP server answering each request with the next reply (the last one again when they run out). */
async function serve(replies: ((req: IncomingMessage) => Reply)[]): Promise<string> {
  let n = 0;
  server = createServer((req, res) => {
    seen.push(req);
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      bodies.push(text);
      const reply = (replies[Math.min(n++, replies.length - 1)] as (r: IncomingMessage) => Reply)(req);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
}
afterEach(async () => {
  seen.length = 0;
  bodies.length = 0;
  const open = server;
  server = undefined;
  if (open) await new Promise((r) => open.close(r));
});

const ctx = { requestId: 'r_client00000000000000000', now: new Date('2026-03-01T10:00:00Z') };
const subject = { email: 'an+jobs@example.be' };
const client = (baseUrl: string, config = demoHttpSystem(), secret = 'the-key') =>
  new HttpSystemClient(config, { fetch, secret: async () => secret, baseUrl });

describe('Generic HTTP connector: calls (P17)', () => {
  it('fills the path template url-encoded and sends the API key its file names', async () => {
    // Prepare
    const base = await serve([() => ({ status: 200, body: { data: [], next: null } })]);
    // Act
    const located = await createHttpConnector(demoHttpSystem(), client(base)).locate(subject, ctx);
    // Assess
    expect(located).toEqual({ found: false, records: 0, categories: [] });
    expect(seen[0]?.url).toBe('/api/v1/applicants/an%2Bjobs%40example.be/applications');
    expect(seen[0]?.headers['x-api-key']).toBe('the-key');
    expect(() => fillPath('/x/{customerNumber}', { email: 'a@b.c' })).toThrow(/No customerNumber/);
  });

  it('follows the cursor page after page and counts every record, with its fields’ categories (P1, P16)', async () => {
    // Prepare: two pages
    const base = await serve([
      () => ({ status: 200, body: { data: [{ id: 'A', email: 'x' }], next: '1' } }),
      () => ({ status: 200, body: { data: [{ id: 'B', cv: { summary: 's' } }], next: null } }),
    ]);
    // Act
    const located = await createHttpConnector(demoHttpSystem(), client(base)).locate(subject, ctx);
    // Assess
    expect(located).toMatchObject({
      found: true,
      records: 2,
      categories: ['contact', 'identification', 'professional'],
    });
    expect(seen[1]?.url).toContain('cursor=1');
  });

  it('asks numbered pages until one comes back short', async () => {
    // Prepare: page pagination of two records a page, and three records
    const config = httpSystemWith({
      operations: {
        ...demoHttpSystem().operations,
        records: {
          ...demoHttpSystem().operations.records,
          pagination: { type: 'page', param: 'page', sizeParam: 'size', size: 2 },
        },
      },
    });
    const base = await serve([
      () => ({ status: 200, body: { data: [{ id: 'A' }, { id: 'B' }] } }),
      () => ({ status: 200, body: { data: [{ id: 'C' }] } }),
    ]);
    // Act
    const located = await createHttpConnector(config, client(base, config)).locate(subject, ctx);
    // Assess
    expect(located.records).toBe(3);
    expect(seen.map((r) => new URL(r.url ?? '', 'http://x').searchParams.get('page'))).toEqual(['1', '2']);
  });

  it('throws a retryable ConnectorError on 429 and 5xx, and answers failed, not retryable, on another refusal (P9)', async () => {
    // Prepare
    const busy = await serve([() => ({ status: 503 })]);
    const c = createHttpConnector(demoHttpSystem(), client(busy));
    // Act + Assess: a passing fault is thrown for the workflow's Retry
    await expect(c.locate(subject, ctx)).rejects.toThrow(ConnectorError);
    const busyServer = server as Server;
    await new Promise((r) => busyServer.close(r));
    const refusing = await serve([
      () => ({ status: 200, body: { data: [{ id: 'A', email: 'x' }], next: null } }),
      () => ({ status: 403 }),
    ]);
    const erased = await createHttpConnector(demoHttpSystem(), client(refusing)).erase(subject, ctx);
    expect(erased).toEqual([{ kind: 'failed', retryable: false, reason: 'http_403' }]);
  });

  it('sends Idempotency-Key requestId-system-operation on every call that changes something (P3)', async () => {
    // Prepare
    const base = await serve([
      () => ({ status: 200, body: { data: [{ id: 'A', email: 'x' }], next: null } }),
      () => ({ status: 200, body: { deleted: 1 } }),
    ]);
    // Act
    const erased = await createHttpConnector(demoHttpSystem(), client(base)).erase(subject, ctx);
    // Assess: the read carries none, the delete carries the key; one erased outcome per category held
    expect(seen[0]?.headers['idempotency-key']).toBeUndefined();
    expect(seen[1]?.method).toBe('DELETE');
    expect(seen[1]?.headers['idempotency-key']).toBe(`${ctx.requestId}-${demoHttpSystem().name}-erase`);
    expect(erased).toEqual([
      { kind: 'erased', records: 1, category: 'contact' },
      { kind: 'erased', records: 1, category: 'identification' },
    ]);
  });

  it('sends only the changed fields it maps, under the system’s names, and skips what it lacks (P2)', async () => {
    // Prepare
    const base = await serve([
      () => ({ status: 200, body: { data: [{ id: 'A', phone: '+32470000000' }], next: null } }),
      () => ({ status: 200, body: { updated: 1 } }),
    ]);
    const c = createHttpConnector(demoHttpSystem(), client(base));
    // Act
    const rectified = await c.rectify(subject, ctx, {
      changes: { phone: '+32470111111', jobTitle: 'Engineer' },
    });
    const nothing = await c.rectify(subject, ctx, { changes: { jobTitle: 'Engineer' } });
    const objected = await c.object(subject, ctx, { scope: ['direct_marketing'] });
    // Assess
    expect(JSON.parse(bodies[1] ?? '{}')).toEqual({ phone: '+32470111111' });
    expect(rectified).toEqual([{ kind: 'rectified', records: 1, category: 'contact', fields: ['phone'] }]);
    expect(nothing).toEqual([{ kind: 'skipped', reason: 'fields_not_held' }]);
    expect(objected).toEqual([{ kind: 'skipped', reason: 'no_processing_to_object_to' }]);
  });

  it('gets an OAuth2 client-credentials token once, with the client in Basic, and sends it as Bearer', async () => {
    // Prepare
    const config = httpSystemWith({
      auth: { type: 'oauth2_client_credentials', tokenUrl: '/oauth/token', secret: 'jsm-privacy/systems/x' },
    });
    const base = await serve([
      () => ({ status: 200, body: { access_token: 'tok', expires_in: 3600 } }),
      () => ({ status: 200, body: { data: [], next: null } }),
    ]);
    const c = createHttpConnector(
      config,
      client(base, config, JSON.stringify({ clientId: 'id', clientSecret: 's' })),
    );
    // Act
    await c.locate(subject, ctx);
    await c.locate(subject, ctx);
    // Assess: one token call, then both reads with the token
    expect(seen.map((r) => r.url)).toEqual([
      '/api/v1/oauth/token',
      '/api/v1/applicants/an%2Bjobs%40example.be/applications',
      '/api/v1/applicants/an%2Bjobs%40example.be/applications',
    ]);
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('id:s').toString('base64')}`);
    expect(bodies[0]).toBe('grant_type=client_credentials');
    expect(seen[1]?.headers.authorization).toBe('Bearer tok');
  });

  it('holds to its rate limit: past the burst, each call waits for a token (P17)', async () => {
    // Prepare: 2 per second, burst 2, on a clock the waits move
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket(
      2,
      2,
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    // Act
    for (let i = 0; i < 4; i++) await bucket.take();
    // Assess: two at once, then one every half second
    expect(waits).toEqual([500, 500]);
    expect(now).toBe(1000);
    expect(new HttpRefusal('x', 404).reason).toBe('http_404');
  });
});
