// The local API Gateway: the events it builds, the authorizer it plays, and how it maps results back.
import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiRoute } from '../../../functions/registry.ts';
import { createApiServer } from '../../../local/api-server.ts';
import { signStaffToken } from '../../../local/staff-auth.ts';

const KEY = new Uint8Array(32).fill(7);
const ROUTES: ApiRoute[] = [
  { id: 'Create', method: 'POST', path: '/requests', entry: 'create.ts', access: 'public', needs: [] },
  { id: 'Status', method: 'GET', path: '/requests/{id}', entry: 'status.ts', access: 'public', needs: [] },
  { id: 'Search', method: 'GET', path: '/requests/search', entry: 'search.ts', access: 'public', needs: [] },
  {
    id: 'Approve',
    method: 'POST',
    path: '/admin/requests/{id}/approve',
    entry: 'approve.ts',
    access: 'approver',
    needs: [],
  },
];

// A page and a file named like API routes: the routes must still answer those paths.
const page = (body: string) => ({ contentType: 'text/html; charset=utf-8', body: Buffer.from(body) });
const ASSETS = new Map([
  ['/', page('<h1>centre</h1>')],
  ['/assets/centre.js', { contentType: 'text/javascript; charset=utf-8', body: Buffer.from('1') }],
  ['/requests', page('shadow')],
]);

let server: Server;
let base: string;
let ready = true;
let seen: { route: ApiRoute; event: APIGatewayProxyEvent }[] = [];
let answer: (event: APIGatewayProxyEvent) => unknown = () => ({ statusCode: 200, body: '{}' });

beforeAll(async () => {
  server = createApiServer({
    routes: ROUTES,
    staffKey: KEY,
    accountId: '000000000000',
    accessLog: () => {},
    health: () => ({ ready, body: { status: ready ? 'ready' : 'starting' } }),
    assets: ASSETS,
    invoke: async (route, event) => {
      seen.push({ route, event });
      return answer(event);
    },
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

beforeEach(() => {
  seen = [];
  ready = true;
  answer = () => ({ statusCode: 200, body: '{}' });
});

describe('Local API Gateway: events', () => {
  it('builds the REST proxy event API Gateway sends', async () => {
    // Prepare: a query with a repeated key, a custom header
    // Act
    await fetch(`${base}/requests/r_1?x=1&x=2&y=hello%20world`, {
      headers: { 'X-Custom': 'Yes', 'User-Agent': 'test-agent' },
    });
    // Assess
    const { route, event } = seen[0] as { route: ApiRoute; event: APIGatewayProxyEvent };
    expect(route.id).toBe('Status');
    expect(event).toMatchObject({
      resource: '/requests/{id}',
      path: '/requests/r_1',
      httpMethod: 'GET',
      pathParameters: { id: 'r_1' },
      queryStringParameters: { x: '2', y: 'hello world' },
      multiValueQueryStringParameters: { x: ['1', '2'], y: ['hello world'] },
      body: null,
      isBase64Encoded: false,
      stageVariables: null,
    });
    // Header names keep the client's case, as API Gateway REST passes them.
    expect(event.headers['X-Custom']).toBe('Yes');
    expect(event.multiValueHeaders['X-Custom']).toEqual(['Yes']);
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.requestContext).toMatchObject({
      stage: 'v1',
      path: '/v1/requests/r_1',
      resourcePath: '/requests/{id}',
      httpMethod: 'GET',
      authorizer: null,
      identity: { sourceIp: '127.0.0.1', userAgent: 'test-agent' },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes the body as a string and nulls for absent parameters', async () => {
    // Prepare: a POST with a JSON body and no query
    // Act
    await fetch(`${base}/requests`, {
      method: 'POST',
      body: '{"type":"erasure"}',
      headers: { 'content-type': 'application/json' },
    });
    // Assess
    const { event } = seen[0] as { event: APIGatewayProxyEvent };
    expect(event.body).toBe('{"type":"erasure"}');
    expect(event.pathParameters).toBeNull();
    expect(event.queryStringParameters).toBeNull();
  });

  it('prefers the more specific resource, as API Gateway does', async () => {
    // Prepare: /requests/search matches both /requests/{id} and /requests/search
    // Act
    await fetch(`${base}/requests/search`);
    // Assess
    expect(seen[0]?.route.id).toBe('Search');
  });

  it('also answers under the stage prefix of the deployed API', async () => {
    // Prepare: the deployed API's path, with /v1
    // Act
    await fetch(`${base}/v1/requests/r_2`);
    // Assess
    expect(seen[0]?.event.pathParameters).toEqual({ id: 'r_2' });
  });
});

describe('Local API Gateway: staff routes', () => {
  it('answers 401 problem+json without a token and with a bad one, and never calls the handler', async () => {
    // Prepare: no token, a malformed one, one signed with another key
    const auths = [
      undefined,
      'Bearer nonsense',
      `Bearer ${await signStaffToken(new Uint8Array(32), { role: 'admin' })}`,
    ];
    for (const auth of auths) {
      // Act
      const res = await fetch(`${base}/admin/requests/r_1/approve`, {
        method: 'POST',
        headers: auth ? { Authorization: auth } : {},
      });
      // Assess
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({
        type: 'https://privacy.jsm.be/problems/unauthorized',
        status: 401,
      });
    }
    expect(seen).toHaveLength(0);
  });

  it('puts the Cognito claims into requestContext.authorizer.claims, groups as a string', async () => {
    // Prepare
    const token = await signStaffToken(KEY, { role: 'approver', sub: 'staff-7' });
    // Act
    const res = await fetch(`${base}/admin/requests/r_1/approve`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    // Assess
    expect(res.status).toBe(200);
    const claims =
      (seen[0]?.event.requestContext.authorizer as { claims: Record<string, string> } | undefined)?.claims ??
      {};
    expect(claims).toMatchObject({ sub: 'staff-7', 'cognito:groups': 'approver', token_use: 'id' });
    expect(claims.exp).toMatch(/^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
  });

  it('accepts the raw token without "Bearer", like the Cognito authorizer', async () => {
    // Prepare
    const token = await signStaffToken(KEY, { role: 'viewer' });
    // Act
    const res = await fetch(`${base}/admin/requests/r_1/approve`, {
      method: 'POST',
      headers: { Authorization: token },
    });
    // Assess
    expect(res.status).toBe(200);
  });
});

describe('Local API Gateway: answers', () => {
  it('maps statusCode, headers, multiValueHeaders and a base64 body', async () => {
    // Prepare
    answer = () => ({
      statusCode: 302,
      headers: { Location: 'https://example.org/x' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: Buffer.from('moved').toString('base64'),
      isBase64Encoded: true,
    });
    // Act
    const res = await fetch(`${base}/requests/r_1`, { redirect: 'manual' });
    // Assess
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://example.org/x');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.text()).toBe('moved');
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('answers 502 for a failing handler or a malformed result', async () => {
    // Prepare: a handler that throws
    answer = () => {
      throw new Error('boom');
    };
    // Act
    const failing = await fetch(`${base}/requests/r_1`);
    // Prepare: a handler whose result has no statusCode and a non-string body
    answer = () => ({ body: {} });
    // Act
    const res = await fetch(`${base}/requests/r_1`);
    // Assess
    expect(failing.status).toBe(502);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    // Prepare: /nope is no route; /requests has POST only
    // Act
    const missing = await fetch(`${base}/nope`);
    const wrong = await fetch(`${base}/requests`, { method: 'PUT' });
    // Assess
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { type: string }).type).toBe(
      'https://privacy.jsm.be/problems/not-found',
    );
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('answers /health 503 while starting and 200 when ready; routes wait for ready', async () => {
    // Prepare
    ready = false;
    // Act
    const starting = await fetch(`${base}/health`);
    const route = await fetch(`${base}/requests/r_1`);
    ready = true;
    const up = await fetch(`${base}/health`);
    // Assess
    expect(starting.status).toBe(503);
    expect(route.status).toBe(503);
    expect(((await route.json()) as { type: string }).type).toBe('https://privacy.jsm.be/problems/starting');
    expect(up.status).toBe(200);
  });
});

describe('Local API Gateway: client-chosen names (security)', () => {
  it('passes query keys and headers named like prototype properties as any other, never a 500', async () => {
    // Prepare
    const names = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'];
    const query = names.map((n, i) => `${n}=${i}`).join('&');
    // Act: a raw request, as fetch drops a header named __proto__
    const status = await rawGet(`/requests/r_1?${query}`, [
      'constructor: c',
      'toString: t',
      'valueOf: v',
      '__proto__: p',
    ]);
    // Assess
    expect(status).toBe(200);
    const { event } = seen[0] as { event: APIGatewayProxyEvent };
    names.forEach((n, i) => {
      expect(Object.hasOwn(event.queryStringParameters ?? {}, n), n).toBe(true);
      expect(event.queryStringParameters?.[n]).toBe(String(i));
      expect(event.multiValueQueryStringParameters?.[n]).toEqual([String(i)]);
    });
    for (const n of ['constructor', 'toString', 'valueOf', '__proto__']) {
      expect(Object.hasOwn(event.headers, n), n).toBe(true);
      expect(event.multiValueHeaders[n]).toHaveLength(1);
    }
  });
});

/** Sends a GET with exactly these header lines and answers the status code. */
function rawGet(path: string, headerLines: string[]): Promise<number> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...headerLines, '', ''].join(
          '\r\n',
        ),
      );
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('Local API Gateway: the privacy centre (P4)', () => {
  it('serves the page and its script with their types and a CSP of its own origin only', async () => {
    // Prepare: the assets above
    // Act
    const [root, staged, script] = await Promise.all(
      ['/', '/v1/', '/assets/centre.js'].map((p) => fetch(`${base}${p}`)),
    );
    // Assess
    expect(root!.status).toBe(200);
    expect(root!.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await root!.text()).toBe('<h1>centre</h1>');
    expect(staged!.status).toBe(200);
    expect(script!.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const csp = root!.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe');
    expect(root!.headers.get('x-content-type-options')).toBe('nosniff');
    expect(seen).toHaveLength(0);
  });

  it('never answers an API route with a page, and refuses to change a page', async () => {
    // Prepare: an asset registered at /requests
    // Act
    const api = await fetch(`${base}/requests`, { method: 'POST', body: '{}' });
    const wrongMethod = await fetch(`${base}/`, { method: 'POST', body: '{}' });
    // Assess
    expect(api.headers.get('content-type')).toBe('application/json');
    expect(seen.map((s) => s.route.id)).toEqual(['Create']);
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.headers.get('content-type')).toBe('application/problem+json');
  });
});
