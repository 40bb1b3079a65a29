import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { route } from '../../../functions/api/http.ts';
import { RefusedError } from '../../../functions/core/errors.ts';
import { CreateRequestBody } from '../../../functions/core/request-body.ts';
import { apiEvent, lambdaContext } from '../../fixtures/lambda.ts';

const echo = route({ id: 'Echo', body: CreateRequestBody }, async ({ body }) => ({ status: 202, body }));
const staffOnly = route({ id: 'Staff', role: 'approver' }, async ({ staff }) => ({
  status: 200,
  body: staff,
}));
const broken = route({ id: 'Broken' }, async () => {
  throw new Error('secret detail an.devos@example.be');
});

const call = async (h: typeof echo, event: ReturnType<typeof apiEvent>) => {
  const res = await h(event, lambdaContext());
  return { ...res, json: JSON.parse(res.body) };
};

describe('API: every error is an RFC 9457 problem and bad input is a 4xx (P15)', () => {
  it('accepts a valid body and normalises the address', async () => {
    // Prepare
    const event = apiEvent({ body: '{"type":"erasure","email":" An.Devos@Example.be","language":"nl"}' });
    // Act
    const res = await call(echo, event);
    // Assess
    expect(res.statusCode).toBe(202);
    expect(res.json.email).toBe('an.devos@example.be');
  });

  it.each([
    ['malformed JSON', '{"type":', 'invalid-json'],
    ['an unknown field', '{"type":"erasure","email":"a@example.be","extra":1}', 'invalid-request'],
    ['a bad e-mail', '{"type":"erasure","email":"not-an-address"}', 'invalid-request'],
    ['an unknown type', '{"type":"deletion","email":"a@example.be"}', 'invalid-request'],
    ['an unknown language', '{"type":"erasure","email":"a@example.be","language":"de"}', 'invalid-request'],
    ['no body', '', 'invalid-json'],
    ['a rectification without changes', '{"type":"rectification","email":"a@example.be"}', 'invalid-request'],
    [
      'a rectification with no field to change',
      '{"type":"rectification","email":"a@example.be","changes":{}}',
      'invalid-request',
    ],
    [
      'a rectification of an unknown field',
      '{"type":"rectification","email":"a@example.be","changes":{"iban":"BE1"}}',
      'invalid-request',
    ],
    [
      'a phone number in a bad form',
      '{"type":"rectification","email":"a@example.be","changes":{"phone":"call me"}}',
      'invalid-request',
    ],
    ['an objection without scope', '{"type":"objection","email":"a@example.be"}', 'invalid-request'],
    [
      'an objection of an unknown scope',
      '{"type":"objection","email":"a@example.be","scope":["cookies"]}',
      'invalid-request',
    ],
    [
      'a recipient the form claims is confirmed: only the verify confirms a transfer (Art. 20(2))',
      '{"type":"portability","email":"a@example.be","recipient":{"organisation":"Other NV","email":"dpo@other.example","confirmed":true}}',
      'invalid-request',
    ],
    [
      'an organisation name over two lines',
      '{"type":"portability","email":"a@example.be","recipient":{"organisation":"Other NV\\nCall +32 000","email":"dpo@other.example"}}',
      'invalid-request',
    ],
    [
      'changes on an erasure',
      '{"type":"erasure","email":"a@example.be","changes":{"phone":"+32470000000"}}',
      'invalid-request',
    ],
  ])('answers 400 to %s', async (_name, body, type) => {
    // Prepare
    const event = apiEvent({ body });
    // Act
    const res = await call(echo, event);
    // Assess
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.json).toMatchObject({ status: 400, type: `https://privacy.jsm.be/problems/${type}` });
  });

  it('never echoes rejected values, which may be personal data', async () => {
    // Prepare
    const event = apiEvent({ body: '{"type":"erasure","email":"an.devos@@example.be"}' });
    // Act
    const res = await call(echo, event);
    // Assess
    expect(res.body).not.toContain('devos');
    expect(res.json.errors[0].path).toBe('email');
  });

  it('never echoes the name of an unknown key, which may be personal data (P15)', async () => {
    // Prepare
    const event = apiEvent({ body: '{"type":"erasure","email":"a@example.be","an.devos@example.be":1}' });
    // Act
    const res = await call(echo, event);
    // Assess
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('devos');
    expect(res.json.errors[0].message).toBe('Unknown field');
  });

  it('answers 415 to a body that is not JSON', async () => {
    // Prepare
    const event = apiEvent({ body: 'type=erasure', headers: { 'Content-Type': 'text/plain' } });
    // Act
    const res = await call(echo, event);
    // Assess
    expect(res.statusCode).toBe(415);
    expect(res.json).toMatchObject({
      type: 'https://privacy.jsm.be/problems/unsupported-media-type',
      title: 'Send a JSON body',
      detail: 'Content-Type must be application/json.',
    });
  });

  it('reads the media type case-insensitively, as RFC 9110 says', async () => {
    // Prepare
    const event = apiEvent({
      body: '{"type":"erasure","email":"a@example.be"}',
      headers: { 'Content-Type': 'Application/JSON; charset=UTF-8' },
    });
    // Act
    const res = await call(echo, event);
    // Assess
    expect(res.statusCode).toBe(202);
  });

  it('answers 401 to a staff route without login and 403 to a role too low', async () => {
    // Prepare
    const as = (groups: string) =>
      apiEvent({ method: 'GET', claims: { sub: 'u1', 'cognito:groups': groups } });
    // Act
    const anonymous = await call(staffOnly, apiEvent({ method: 'GET' }));
    const viewer = await call(staffOnly, as('viewer'));
    const admin = await call(staffOnly, as('[viewer admin]'));
    // Assess
    expect(anonymous.statusCode).toBe(401);
    expect(viewer.statusCode).toBe(403);
    expect(admin.statusCode).toBe(200);
    expect(admin.json).toEqual({ id: 'u1', role: 'admin' });
  });

  it('hides internals of an unexpected failure', async () => {
    // Prepare: `broken` throws an error whose message names an address
    // Act
    const res = await call(broken, apiEvent({ method: 'GET' }));
    // Assess
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('devos');
    expect(res.body).not.toContain('at ');
  });

  it('answers 503 with Retry-After when a service it relies on is busy, and 500 without it for a fault of ours', async () => {
    // Prepare: DynamoDB throttling as the SDK throws it after its own retries, and a timeout wrapped in a cause
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    const wrapped = new Error('persistence failed', {
      cause: Object.assign(new Error('t'), { name: 'TimeoutError' }),
    });
    const failing = (e: Error) => route({ id: 'Busy' }, async () => Promise.reject(e)) as typeof echo;
    // Act
    const busy = await call(failing(throttled), apiEvent({ method: 'GET' }));
    const late = await call(failing(wrapped), apiEvent({ method: 'GET' }));
    const ours = await call(broken, apiEvent({ method: 'GET' }));
    // Assess
    expect([busy.statusCode, late.statusCode, ours.statusCode]).toEqual([503, 503, 500]);
    expect(busy.headers?.['retry-after']).toBe('5');
    expect(busy.json.type).toBe('https://privacy.jsm.be/problems/unavailable');
    expect(busy.body).not.toContain('throughput');
    expect(ours.headers?.['retry-after']).toBeUndefined();
  });

  it('maps a domain refusal to its status and type', async () => {
    // Prepare
    const h = route({ id: 'Gone', body: z.object({}) }, async () => {
      throw new RefusedError({ reason: 'request_closed', status: 'completed' });
    });
    // Act
    const res = await call(h as typeof echo, apiEvent({ body: '{}' }));
    // Assess
    expect(res.statusCode).toBe(409);
    expect(res.json.type).toBe('https://privacy.jsm.be/problems/request-closed');
    expect(res.json.detail).toBe('The request is completed.');
  });

  it('gives handlers params, query and headers as records without a prototype', async () => {
    const PROTO = '__proto__';
    // Prepare: a handler that looks up client-chosen names.
    const lookup = route({ id: 'Lookup' }, async ({ params, query, headers }) => ({
      status: 200,
      body: {
        prototypes: [params, query, headers].map((r) => Object.getPrototypeOf(r) === null),
        inherited: [query.constructor, query.toString, headers.valueOf, params[PROTO]].map((v) => typeof v),
        own: query.hasOwnProperty,
      },
    }));
    const event = {
      ...apiEvent({ method: 'GET', pathParameters: { id: 'r_1' } }),
      queryStringParameters: { hasOwnProperty: 'yes' },
    };
    // Act
    const res = await call(lookup as typeof echo, event);
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({
      prototypes: [true, true, true],
      inherited: ['undefined', 'undefined', 'undefined', 'undefined'],
      own: 'yes',
    });
  });
});

describe('API: who calls is checked first, and only by own role names (security, P15)', () => {
  it.each(['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty'])(
    'refuses a staff token whose only group is the prototype name %s',
    async (group) => {
      // Prepare: a token whose group is a name every plain object inherits, in both forms API Gateway passes.
      const forms = [group, `[${group}]`];
      // Act
      const answers = await Promise.all(
        forms.map((g) =>
          call(staffOnly, apiEvent({ method: 'GET', claims: { sub: 'u1', 'cognito:groups': g } })),
        ),
      );
      // Assess
      for (const res of answers) {
        expect(res.statusCode).toBe(403);
        expect(res.json.type).toBe('https://privacy.jsm.be/problems/forbidden');
      }
    },
  );

  it('gives the same caller the first answer for a repeated Idempotency-Key, and 422 for another body', async () => {
    // Prepare: a public idempotent route that counts its calls
    const { fakeIdempotencyTable } = await import('../../fixtures/idempotency-table.ts');
    const table = fakeIdempotencyTable();
    process.env.AWS_REGION ??= 'eu-west-1';
    process.env.IDEMPOTENCY_TABLE ??= 'idempotency';
    let calls = 0;
    const file = route({ id: 'File', body: z.object({ a: z.number() }), idempotent: true }, async () => ({
      status: 202,
      body: { call: ++calls },
    }));
    const event = (body: string) => apiEvent({ body, headers: { 'Idempotency-Key': 'key-2' } });
    // Act
    const first = await call(file as typeof echo, event('{"a":1}'));
    const again = await call(file as typeof echo, event('{"a":1}'));
    const other = await call(file as typeof echo, event('{"a":2}'));
    // Assess
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.json).toEqual({ call: 1 });
    expect(other.statusCode).toBe(422);
    expect(other.json.type).toBe('https://privacy.jsm.be/problems/idempotency-key-reused');
    expect(calls).toBe(1);
    table.mock.restore();
  });

  it("answers a viewer who replays an admin's Idempotency-Key and body with 403, never the admin's answer", async () => {
    // Prepare: an admin-only idempotent route whose answer is for the admin's eyes only.
    const { fakeIdempotencyTable } = await import('../../fixtures/idempotency-table.ts');
    const table = fakeIdempotencyTable();
    process.env.AWS_REGION ??= 'eu-west-1';
    process.env.IDEMPOTENCY_TABLE ??= 'idempotency';
    const issue = route(
      { id: 'IssueSecret', role: 'admin', body: z.object({ email: z.string() }), idempotent: true },
      async ({ staff }) => ({ status: 200, body: { url: `https://signed.example/for-${staff?.id}` } }),
    );
    const event = (sub: string, groups: string) =>
      apiEvent({
        body: '{"email":"an.devos@example.be"}',
        headers: { 'Idempotency-Key': 'key-1' },
        claims: { sub, 'cognito:groups': groups },
      });
    const admin = await call(issue as typeof echo, event('admin-1', 'admin'));
    // Act
    const viewer = await call(issue as typeof echo, event('viewer-1', 'viewer'));
    const otherAdmin = await call(issue as typeof echo, event('admin-2', 'admin'));
    // Assess
    expect(admin.statusCode).toBe(200);
    expect(viewer.statusCode).toBe(403);
    expect(viewer.body).not.toContain('signed.example');
    // Keys are scoped to the caller: another admin with the same key gets their own answer, not the first one's.
    expect(otherAdmin.json.url).toBe('https://signed.example/for-admin-2');
    table.mock.restore();
  });
  it('stores no Idempotency-Key record for a refusal a handler answers itself, such as a page for a browser (P15)', async () => {
    // Prepare: an idempotent route that refuses with its own 400 page
    const { fakeIdempotencyTable } = await import('../../fixtures/idempotency-table.ts');
    const table = fakeIdempotencyTable();
    process.env.AWS_REGION ??= 'eu-west-1';
    process.env.IDEMPOTENCY_TABLE ??= 'idempotency';
    const page = route({ id: 'Page', idempotent: true }, async () => ({
      status: 400,
      html: '<p>invalid</p>',
    }));
    // Act
    const res = await page(apiEvent({ headers: { 'Idempotency-Key': 'key-3' } }), lambdaContext());
    // Assess: the caller gets the page, and nothing of the refusal is kept
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('<p>invalid</p>');
    expect([...table.items.keys()]).toEqual([]);
    table.mock.restore();
  });

  it('keeps the Idempotency-Key records of two routes apart when their calls overlap in one process (P15)', async () => {
    // Prepare: route A fails its call while route B is called in between, as the local runtime can interleave them
    const { fakeIdempotencyTable } = await import('../../fixtures/idempotency-table.ts');
    const table = fakeIdempotencyTable();
    process.env.AWS_REGION ??= 'eu-west-1';
    process.env.IDEMPOTENCY_TABLE ??= 'idempotency';
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => {
      release = done;
    });
    const a = route({ id: 'RouteA', idempotent: true }, async () => {
      await gate;
      throw new RefusedError({ reason: 'request_not_found' });
    });
    const b = route({ id: 'RouteB', idempotent: true }, async () => ({ status: 202, body: { b: true } }));
    const event = () => apiEvent({ headers: { 'Idempotency-Key': 'key-4' } });
    // Act
    const first = a(event(), lambdaContext());
    while (table.items.size === 0) await new Promise((r) => setImmediate(r));
    const second = await b(event(), lambdaContext());
    release();
    const refused = await first;
    // Assess: A's refusal left no record behind; B's answer is stored under B only
    expect(refused.statusCode).toBe(404);
    expect(second.statusCode).toBe(202);
    expect([...table.items.keys()].map((k) => k.split('#')[0])).toEqual(['RouteB']);
    table.mock.restore();
  });
  it("keeps the first caller's answer for a key after someone replays it with another body and is refused (P15)", async () => {
    // Prepare: a first call stores its answer under a key
    const { fakeIdempotencyTable } = await import('../../fixtures/idempotency-table.ts');
    const table = fakeIdempotencyTable();
    process.env.AWS_REGION ??= 'eu-west-1';
    process.env.IDEMPOTENCY_TABLE ??= 'idempotency';
    let calls = 0;
    const file = route({ id: 'Once', body: z.object({ a: z.number() }), idempotent: true }, async () => ({
      status: 202,
      body: { call: ++calls },
    }));
    const event = (body: string) => apiEvent({ body, headers: { 'Idempotency-Key': 'key-5' } });
    await call(file as typeof echo, event('{"a":1}'));
    // Act: another body with the key is refused, then the first caller retries
    const other = await call(file as typeof echo, event('{"a":2}'));
    const retry = await call(file as typeof echo, event('{"a":1}'));
    // Assess: the retry still gets the first answer; the call ran once
    expect(other.statusCode).toBe(422);
    expect(retry.json).toEqual({ call: 1 });
    expect(calls).toBe(1);
    table.mock.restore();
  });
});
