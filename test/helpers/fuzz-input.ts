// Generators of refused input for every API route (fast-check), read from the route table (functions/registry.ts)
// and the OpenAPI document built from it: a route added later is fuzzed without a change here. Every case is
// invalid by construction through one "lever" (no or a bad staff token, a path parameter that names nothing, a
// broken body, an unknown query key, a method or path no route has); headers, query strings, encodings and the
// rest vary on top of it, so every answer must be a 4xx.
import fc from 'fast-check';
import { openApiDocument } from '../../functions/api/openapi-document.ts';
import type { ApiRoute } from '../../functions/registry.ts';
import { pathParameterNames, routeMatcher } from '../../functions/routing.ts';

export type Lever = 'auth' | 'path' | 'body' | 'query' | 'method' | 'no-route';

export interface FuzzCase {
  /** the route id the case aims at */
  route: string;
  lever: Lever;
  method: string;
  /** the request target as sent: not normalised */
  target: string;
  headers: [string, string | Buffer][];
  body?: Buffer;
  /** generated free text long enough that finding it in the answer means it was echoed */
  echoes: string[];
}

/** What a fuzz run knows: the routes, a valid admin token, and real values the generators must never hit. */
export interface FuzzContext {
  routes: readonly ApiRoute[];
  adminToken: string;
  /** ids of requests that exist: used only where another lever refuses the case */
  realIds: string[];
}

type Schema = Record<string, unknown>;
interface Shape {
  route: ApiRoute;
  params: string[];
  query: string[];
  /** the JSON body's schema, when the route takes one */
  json?: Schema;
  /** every property name anywhere in the body's schema */
  known: Set<string>;
  resolveRef: (s: Schema | undefined) => Schema | undefined;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

/** Each route's shape from the OpenAPI document (every route must have one: openapi.ts throws otherwise). */
export function shapes(routes: readonly ApiRoute[]): Shape[] {
  const doc = openApiDocument() as {
    paths: Record<string, Record<string, Schema>>;
    components: { schemas: Record<string, Schema> };
  };
  const resolve = (s: Schema | undefined): Schema | undefined => {
    const ref = s?.$ref as string | undefined;
    return ref ? resolve(doc.components.schemas[ref.split('/').pop() as string]) : s;
  };
  const names = (s: Schema | undefined, out: Set<string>, depth = 0): Set<string> => {
    const r = resolve(s);
    if (!r || depth > 8) return out;
    for (const [k, v] of Object.entries((r.properties as Record<string, Schema>) ?? {})) {
      out.add(k);
      names(v, out, depth + 1);
    }
    for (const key of ['oneOf', 'anyOf', 'allOf'])
      for (const sub of (r[key] as Schema[]) ?? []) names(sub, out, depth + 1);
    if (r.items) names(r.items as Schema, out, depth + 1);
    return out;
  };
  return routes.map((route) => {
    const op = doc.paths[route.path]?.[route.method.toLowerCase()] ?? {};
    const parameters = (op.parameters as { in: string; name: string }[]) ?? [];
    const content = (op.requestBody as { content?: Record<string, { schema: Schema }> })?.content ?? {};
    const json = content['application/json'] && resolve(content['application/json'].schema);
    return {
      route,
      params: pathParameterNames(route.path),
      query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
      ...(json ? { json: json as Schema } : {}),
      known: names(json, new Set()),
      resolveRef: resolve,
    };
  });
}

/** A plausible (not necessarily valid) value for a JSON schema: the shape the body's fields have. */
function sample(
  s: Schema | undefined,
  resolve: (s: Schema | undefined) => Schema | undefined,
  depth = 0,
): unknown {
  const r = resolve(s);
  if (!r || depth > 6) return 'x';
  if (r.example !== undefined) return r.example;
  if (Array.isArray(r.enum)) return r.enum[0];
  if (r.const !== undefined) return r.const;
  const variants = (r.oneOf ?? r.anyOf) as Schema[] | undefined;
  if (variants?.length) return sample(variants[0], resolve, depth + 1);
  if (Array.isArray(r.allOf))
    return Object.assign({}, ...r.allOf.map((x) => sample(x as Schema, resolve, depth + 1)));
  const type = Array.isArray(r.type) ? r.type[0] : r.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries((r.properties as Record<string, Schema>) ?? {}))
        out[k] = sample(v, resolve, depth + 1);
      return out;
    }
    case 'array':
      return [sample(r.items as Schema, resolve, depth + 1)];
    case 'integer':
    case 'number':
      return (r.minimum as number) ?? 1;
    case 'boolean':
      return true;
    default:
      return r.format === 'email' ? 'a.fuzz@example.be' : r.format === 'date' ? '2026-12-01' : 'x';
  }
}

// Free text: every kind of character, NUL and controls included, and the prototype names.
const freeText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u001f',
      '\u007f',
      '\u2028',
      '\ufeff',
      '\ud800',
      'é',
      '𝕏',
      '"',
      '\\',
      '/',
      '%',
      '&',
      '=',
      '+',
      '?',
      '#',
      '.',
      'a',
    ),
    maxLength: 30,
  }),
  fc.constantFrom(...PROTO_KEYS),
);
const hugeText = fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'A'.repeat(n));

/** Any JSON value, deep nesting and huge strings included. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small', withCrossShrink: true },
  fc.jsonValue({ maxDepth: 3 }),
  freeText,
  hugeText,
  fc.integer({ min: 10, max: 3000 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown),
  fc.constantFrom(null, true, 0, -1, 1e308, [], {}),
);

/** JSON text of an object from entries, so duplicate and `__proto__` keys survive as sent. */
const objectText = (entries: [string, unknown][]) =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;

/** Percent-encodes the UTF-8 bytes of `s` (a lone surrogate becomes U+FFFD), except those `keep` allows raw. */
export function pct(s: string, keep = /[A-Za-z0-9_.~-]/): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && keep.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
// Raw in a path: every visible character but those that end it (`?`, `#`); `%` stays raw to send bad encodings.
const RAW = /[\x21-\x22\x24-\x3e\x40-\x7e]/;
const RAW_QUERY = /[\x21-\x22\x24-\x25\x27-\x7e]/;

const isEcho = (s: string) => s.trim().length >= 8 && new Set(s).size >= 4;
const echoesIn = (...values: unknown[]) =>
  values.flatMap((v) => (typeof v === 'string' && isEcho(v) ? [v] : []));

interface BodyCase {
  body: Buffer;
  echoes: string[];
}

/** A broken JSON body for a shape: valid-shaped with one definite fault, or no JSON at all. */
function brokenBody(shape: Shape) {
  const base = sample(shape.json, shape.resolveRef) as Record<string, unknown>;
  const entries = Object.entries(typeof base === 'object' && base ? base : {});
  const required = ((shape.json?.required as string[]) ?? []).filter((k) => k in base);
  const unknownKey = fc.oneof(freeText, fc.constantFrom(...PROTO_KEYS)).filter((k) => !shape.known.has(k));
  const faults: fc.Arbitrary<{ text: string; echoes: string[] }>[] = [
    // an unknown key (strict bodies), a prototype name among them, with any value; perhaps a known key twice
    fc.tuple(unknownKey, anyJson, fc.boolean(), fc.nat()).map(([k, v, dup, i]) => {
      const all: [string, unknown][] = [...entries, [k, v]];
      if (dup && entries.length) all.unshift(entries[i % entries.length] as [string, unknown]);
      return { text: objectText(all), echoes: echoesIn(k, v) };
    }),
    // not an object: an array of the body, a scalar, deep nesting
    anyJson
      .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
      .map((v) => ({ text: JSON.stringify(v) ?? 'null', echoes: echoesIn(v) })),
    fc.constant({ text: JSON.stringify([base]), echoes: [] }),
    // no JSON at all: truncated, trailing junk, single quotes, empty
    fc
      .oneof(
        fc.nat().map((n) => JSON.stringify(base).slice(0, n % Math.max(1, JSON.stringify(base).length))),
        freeText.map((t) => `${JSON.stringify(base)}${t}x`),
        fc.constantFrom('', ' ', "{'type':'access'}", '{,}', 'NaN', '{"a":1,}', 'undefined', '\ufeff{}'),
        freeText.filter((t) => {
          try {
            JSON.parse(t);
            return false;
          } catch {
            return true;
          }
        }),
      )
      .map((text) => ({ text, echoes: [] })),
  ];
  if (entries.length) {
    // a field of the wrong type: what should be a string is a number, an object an array, and so on
    faults.push(
      fc
        .tuple(fc.nat(), anyJson)
        .filter(([i, v]) => {
          const old = (entries[i % entries.length] as [string, unknown])[1];
          return typeOf(v) !== typeOf(old) && v !== undefined;
        })
        .map(([i, v]) => {
          const all = entries.map(
            ([k, old], j) => [k, j === i % entries.length ? v : old] as [string, unknown],
          );
          return { text: objectText(all), echoes: echoesIn(v) };
        }),
    );
  }
  if (required.length)
    faults.push(
      fc.nat().map((i) => ({
        text: objectText(entries.filter(([k]) => k !== required[i % required.length])),
        echoes: [],
      })),
    );
  // Encodings on top: a BOM, invalid UTF-8 bytes inside the text.
  return fc
    .tuple(fc.oneof(...faults), fc.constantFrom('none', 'bom', 'bad-utf8', 'latin1'))
    .map(([fault, encoding]): BodyCase => {
      let body = Buffer.from(fault.text, encoding === 'latin1' ? 'latin1' : 'utf8');
      if (encoding === 'bom') body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
      if (encoding === 'bad-utf8') {
        const at = Math.floor(body.length / 2);
        body = Buffer.concat([
          body.subarray(0, at),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
          body.subarray(at),
        ]);
      }
      return { body, echoes: fault.echoes };
    });
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A path parameter that names nothing: ids of every shape, encoded slashes, `..`, very long, unicode. */
function badParam(ctx: FuzzContext): fc.Arbitrary<{ raw: string; echoes: string[] }> {
  const encoded = (s: string) => ({ raw: pct(s), echoes: echoesIn(s) });
  return fc.oneof(
    fc.stringMatching(/^r_[0-9A-Za-z]{22}$/).map((raw) => ({ raw, echoes: [] })),
    fc
      .stringMatching(/^(r_[0-9A-Za-z]{21}|r_[0-9A-Za-z]{23}|R_[0-9A-Za-z]{22}|r-[0-9A-Za-z]{22})$/)
      .map((raw) => ({ raw, echoes: [] })),
    fc
      .constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E',
        '%2F',
        '..%2F..%2Fetc%2Fpasswd',
        '%00',
        '%ZZ',
        '%',
        '%C3%28',
        '%ED%A0%80',
        '~',
        '*',
        'null',
        'undefined',
        '0',
        '-1',
        '%20',
        '+',
      )
      .map((raw) => ({ raw, echoes: [] })),
    fc.constantFrom(...PROTO_KEYS).map((raw) => ({ raw, echoes: [] })),
    freeText.filter((s) => s.length > 0).map(encoded),
    fc.integer({ min: 100, max: 3000 }).map((n) => ({ raw: `r_${'a'.repeat(n)}`, echoes: [] })),
    // a real id with something after it, left raw or encoded
    fc
      .tuple(
        fc.constantFrom(...(ctx.realIds.length ? ctx.realIds : ['r_x'])),
        fc.constantFrom('%2F..', '%2Fx', 'x', '%00', '.json', '%20'),
      )
      .map(([id, tail]) => ({ raw: `${id}${tail}`, echoes: [] })),
    // token-like: base64url segments, a JWT's shape
    fc
      .array(fc.base64String({ minLength: 4, maxLength: 200 }), { minLength: 1, maxLength: 3 })
      .map((parts) => encoded(parts.join('.'))),
  );
}

/** Query strings: unknown and repeated keys, arrays, bad percent-encoding, prototype names, long values. */
function queryPairs(known: string[], mustHaveUnknown: boolean) {
  const key = fc.oneof(freeText, fc.constantFrom(...PROTO_KEYS, 'a[]', 'a[b]', 'limit[]', ...known));
  const value = fc.oneof(
    freeText,
    fc.constantFrom('', '-1', '1e9', 'NaN', '%ZZ', '%00', 'true', '[]'),
    hugeText.map((t) => t.slice(0, 1500)),
  );
  const pair = fc.tuple(key, value, fc.boolean()).map(([k, v, raw]) => ({
    text: raw ? `${pct(k, RAW_QUERY)}=${pct(v, RAW_QUERY)}` : `${pct(k)}=${pct(v)}`,
    // A known key's name is the API's own word: a problem may name it as the field at fault.
    echoes: known.includes(k) ? echoesIn(v) : echoesIn(k, v),
  }));
  const unknown = fc
    .tuple(
      freeText.filter((k) => k.length > 0 && !known.includes(k)),
      value,
    )
    .map(([k, v]) => ({
      text: `${pct(k)}=${pct(v)}`,
      echoes: echoesIn(k, v),
    }));
  return fc
    .tuple(
      fc.array(pair, { maxLength: mustHaveUnknown ? 3 : 4 }),
      mustHaveUnknown ? unknown.map((u) => [u]) : fc.constant([]),
      fc.boolean(),
    )
    .map(([pairs, extra, repeat]) => {
      const all = [...pairs, ...extra];
      if (repeat && all[0]) all.push(all[0]);
      return {
        text: all.length ? `?${all.map((p) => p.text).join('&')}` : '',
        echoes: all.flatMap((p) => p.echoes),
      };
    });
}

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,30}$/);
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x20-\x7e\t]{0,200}$/).map((s) => s.trim()),
  fc
    .uint8Array({ minLength: 1, maxLength: 60 })
    .map((a) => Buffer.from(a.map((b) => (b < 0x20 || b === 0x7f ? 0x41 : b)))),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => Buffer.from(s.replace(/[\r\n\0]/g, ' '))),
);
const FORBIDDEN_NAMES =
  /^(host|content-length|connection|transfer-encoding|expect|upgrade|te|trailer|authorization|content-type|accept|keep-alive|proxy-connection)$/i;

/** Headers on top of every case: Content-Type variants, Idempotency-Key shapes, duplicates, junk, prototype names. */
function headers(jsonRoute: boolean) {
  const contentType = fc.constantFrom(
    ...(jsonRoute
      ? [
          'application/json',
          'APPLICATION/JSON',
          'application/json; charset=utf-8',
          'application/json;charset=latin1',
          'application/vnd.api+json',
          'application/problem+json',
        ]
      : []),
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    '',
    '*/*',
    'application/json, text/plain',
  );
  const idempotencyKey = fc.oneof(
    fc.constantFrom('fuzz-1', 'fuzz-2', '', ' ', '__proto__'),
    fc.uuid(),
    fc.integer({ min: 256, max: 1000 }).map((n) => 'k'.repeat(n)),
    fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .map((s) => Buffer.from(s.replace(/[\r\n\0]/g, ' '))),
  );
  return fc
    .record({
      contentType: fc.option(fc.array(contentType, { minLength: 1, maxLength: 2 }), { freq: 5 }),
      idempotencyKeys: fc.option(fc.array(idempotencyKey, { minLength: 1, maxLength: 2 }), { freq: 2 }),
      accept: fc.option(
        fc.constantFrom('application/json', 'text/html', '*/*', 'application/problem+json', 'image/png'),
      ),
      junk: fc.array(
        fc.tuple(
          fc.oneof(token, fc.constantFrom(...PROTO_KEYS, 'X-Forwarded-For', 'Accept-Language', 'Cookie')),
          headerValue,
        ),
        { maxLength: 4 },
      ),
    })
    .map((h) => {
      const out: [string, string | Buffer][] = [];
      for (const t of h.contentType ?? []) out.push(['Content-Type', t]);
      for (const k of h.idempotencyKeys ?? []) out.push(['Idempotency-Key', k]);
      if (h.accept) out.push(['Accept', h.accept]);
      const echoes: string[] = [];
      for (const [n, v] of h.junk) {
        if (FORBIDDEN_NAMES.test(n)) continue;
        out.push([n, v]);
        echoes.push(...echoesIn(typeof v === 'string' ? v : v.toString('utf8')));
      }
      return { list: out, echoes };
    });
}

/** Authorization that no authorizer accepts: none, garbage, another scheme, a valid token altered. */
function badAuth(adminToken: string) {
  const [head = '', payload = '', signature = ''] = adminToken.split('.');
  return fc.oneof(
    fc.constant<string[]>([]),
    fc
      .constantFrom(
        'Bearer',
        'Bearer ',
        'Basic YWRtaW46YWRtaW4=',
        'Bearer null',
        'Bearer undefined',
        `Token ${adminToken}`,
      )
      .map((v) => [v]),
    fc.stringMatching(/^[\x21-\x7e]{1,300}$/).map((v) => [`Bearer ${v}`]),
    fc.nat().map((i) => {
      // Not the last character: its low bits are padding, so altering it can leave the signature's bytes as they were.
      const at = i % (signature.length - 1);
      const flipped = signature.slice(0, at) + (signature[at] === 'A' ? 'B' : 'A') + signature.slice(at + 1);
      return [`Bearer ${head}.${payload}.${flipped}`];
    }),
    fc
      .constantFrom(
        `Bearer ${head}.${payload}.`,
        `Bearer ${head}.${payload}`,
        `Bearer ${adminToken}x`,
        `Bearer ${payload}`,
      )
      .map((v) => [v]),
    fc
      .tuple(fc.stringMatching(/^[A-Za-z0-9]{1,40}$/), fc.stringMatching(/^[A-Za-z0-9]{1,40}$/))
      .map(([a, b]) => [`Bearer ${a}`, `Bearer ${b}`]),
  );
}

/** Every case of every route. */
export function fuzzCases(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const all = shapes(ctx.routes);
  const matcher = routeMatcher(ctx.routes);
  const perRoute = all.map((shape) => routeCases(shape, ctx, matcher));
  // A path that normalises (`.`, `%2e%2e`) onto another route is that route's input, and a GET onto no route may
  // find the privacy centre's files: neither is refused by construction, so neither is a case.
  return fc.oneof(...perRoute).filter((c) => {
    const hit = matcher.match(c.method, serverPath(c.target));
    return hit.kind === 'route' ? hit.route.id === c.route : hit.kind !== 'none' || c.method !== 'GET';
  });
}

function routeCases(
  shape: Shape,
  ctx: FuzzContext,
  matcher: ReturnType<typeof routeMatcher>,
): fc.Arbitrary<FuzzCase> {
  const { route } = shape;
  const staff = route.access !== 'public';
  const fill = (values: string[]) => {
    let i = 0;
    return route.path.replace(/\{\w+\+?\}/g, () => values[i++] ?? 'x');
  };
  const anyParam = fc.oneof(
    badParam(ctx),
    fc.constantFrom(...(ctx.realIds.length ? ctx.realIds : ['r_x'])).map((raw) => ({ raw, echoes: [] })),
  );
  const params = (arb: fc.Arbitrary<{ raw: string; echoes: string[] }>) =>
    fc.array(arb, { minLength: shape.params.length, maxLength: shape.params.length });
  const optionalBody: fc.Arbitrary<BodyCase | undefined> = shape.json
    ? fc.option(brokenBody(shape), { freq: 4 })
    : fc.option(
        fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ body: Buffer.from(s), echoes: [] })),
      );
  const build = (
    lever: Lever,
    p: { raw: string; echoes: string[] }[],
    q: { text: string; echoes: string[] },
    h: { list: [string, string | Buffer][]; echoes: string[] },
    auth: string[],
    body: BodyCase | undefined,
    method: string = route.method,
    path = fill(p.map((x) => x.raw)),
  ): FuzzCase => ({
    route: route.id,
    lever,
    method,
    target: `${path}${q.text}`,
    headers: [...auth.map((a) => ['Authorization', a] as [string, string]), ...h.list],
    ...(body ? { body: body.body } : {}),
    echoes: [...p.flatMap((x) => x.echoes), ...q.echoes, ...h.echoes, ...(body?.echoes ?? [])],
  });
  const hdrs = headers(!!shape.json);
  const query = queryPairs(shape.query, false);
  const good = staff ? [`Bearer ${ctx.adminToken}`] : [];
  const levers: fc.Arbitrary<FuzzCase>[] = [];
  // no route has this method on this path: 405
  const others = METHODS.filter((m) => !ctx.routes.some((r) => r.path === route.path && r.method === m));
  if (others.length)
    levers.push(
      fc
        .tuple(fc.constantFrom(...others), params(anyParam), query, hdrs, optionalBody)
        .map(([m, p, q, h, b]) => build('method', p, q, h, good, b, m)),
    );
  // a path below this one that no route has (never a GET: the privacy centre's files answer GETs there)
  levers.push(
    fc
      .tuple(
        fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH'),
        params(anyParam),
        fc.array(
          freeText.filter((s) => s.length > 0),
          { minLength: 1, maxLength: 3 },
        ),
        hdrs,
      )
      .map(([m, p, extra, h]) => ({
        m,
        p,
        path: `${fill(p.map((x) => x.raw))}/${extra.map((e) => pct(e, RAW)).join('/')}`,
        extra,
        h,
      }))
      .filter(({ m, path }) => matcher.match(m, serverPath(path)).kind === 'none')
      .map(({ m, p, path, extra, h }) => ({
        ...build('no-route', p, { text: '', echoes: [] }, h, good, undefined, m, path),
        echoes: echoesIn(...extra),
      })),
  );
  // no or a bad staff token: anything else may be valid, real ids and well-shaped bodies included
  const sampled = shape.json
    ? fc.constant<BodyCase>({
        body: Buffer.from(JSON.stringify(sample(shape.json, shape.resolveRef))),
        echoes: [],
      })
    : optionalBody;
  if (staff)
    levers.push(
      fc
        .tuple(params(anyParam), query, hdrs, badAuth(ctx.adminToken), fc.oneof(optionalBody, sampled))
        .map(([p, q, h, a, b]) => build('auth', p, q, h, a, b)),
    );
  if (shape.params.length)
    levers.push(
      fc
        .tuple(params(badParam(ctx)), query, hdrs, optionalBody)
        .map(([p, q, h, b]) => build('path', p, q, h, good, b)),
    );
  if (shape.json)
    levers.push(
      fc
        .tuple(params(anyParam), query, hdrs, brokenBody(shape))
        .map(([p, q, h, b]) => build('body', p, q, h, good, b)),
    );
  if (shape.query.length && route.method === 'GET')
    levers.push(
      fc
        .tuple(params(anyParam), queryPairs(shape.query, true), hdrs)
        .map(([p, q, h]) => build('query', p, q, h, good, undefined)),
    );
  return fc.oneof(...levers);
}

/** The path as the API server matches it (local/api-server.ts): URL-normalised, no trailing slash, decoded. */
function serverPath(target: string): string {
  let path = new URL(target, 'http://local').pathname.replace(/^\/v1(?=\/|$)/, '') || '/';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
