// A configured system's API as a real local REST service (P17): the routes, the authentication it demands and
// its records all come from data (the system's config/systems/ file and local/demo-systems/<name>.json), so a new
// demo system needs no code. Its own store is a JSON file in the data directory; calls that change something are
// applied once per Idempotency-Key, and a repeated key gets the first answer again.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { pathGet, pathSet } from '../functions/connectors/generic/http/client.ts';
import type { HttpSystem } from '../functions/connectors/generic/http/config.ts';
import { safeEqual } from '../functions/core/secrets.ts';

type Item = Record<string, unknown>;

/** Demo records of configured systems, one file per system, named as in config/systems/ */
export const DEMO_SYSTEMS_DIR = 'local/demo-systems';

/** What local/demo-systems/<name>.json holds: the records, and how many one page returns. */
export interface RestSeed {
  pageSize?: number;
  records: Item[];
}

export interface RestSystemOptions {
  config: HttpSystem;
  seed: RestSeed;
  /** the store: created from the seed when absent */
  file: string;
  /** the system's secret as the connector reads it: the API key, or `{"clientId","clientSecret"}` */
  secret: string;
  log?: (line: string) => void;
}

interface Store {
  records: Item[];
  answers: Record<string, { status: number; body: unknown }>;
}

type Op = 'records' | 'erase' | 'rectify' | 'object';

export interface RestSystem {
  server: Server;
  /** the path the config's base URL has, under which every route is served */
  prefix: string;
  /** the records now held (tests check the store itself) */
  records(): Item[];
}

export function createRestSystem(options: RestSystemOptions): RestSystem {
  const { config, seed } = options;
  const prefix = new URL(config.baseUrl).pathname.replace(/\/+$/, '');
  const pageSize = seed.pageSize ?? 2;
  const tokens = new Set<string>();
  const load = (): Store => {
    if (!existsSync(options.file)) save({ records: seed.records, answers: {} });
    return JSON.parse(readFileSync(options.file, 'utf8')) as Store;
  };
  const save = (store: Store) => {
    mkdirSync(dirname(options.file), { recursive: true });
    writeFileSync(`${options.file}.tmp`, `${JSON.stringify(store, null, 2)}\n`);
    renameSync(`${options.file}.tmp`, options.file);
  };
  load();

  const routes = (Object.entries(config.operations) as [Op, { method: string; path: string }][]).map(
    ([op, spec]) => ({ op, method: spec.method, pattern: compile(prefix + spec.path.split('?')[0]) }),
  );

  /** A variable of the path selects the records whose field mapped to it (`{email}` → the `email` field). */
  const matches = (item: Item, vars: Record<string, string>) =>
    Object.entries(vars).every(([name, value]) => {
      const path = config.operations.records.fields[name]?.path ?? name;
      return String(pathGet(item, path) ?? '').toLowerCase() === value.toLowerCase();
    });

  const handle = async (
    req: IncomingMessage,
    url: URL,
    body: unknown,
  ): Promise<{ status: number; body?: unknown }> => {
    const auth = config.auth;
    if (
      auth.type === 'oauth2_client_credentials' &&
      req.method === 'POST' &&
      url.pathname === tokenPath(auth.tokenUrl, prefix)
    )
      return issueToken(req, options.secret, tokens);
    if (!authorised(req, config, options.secret, tokens))
      return { status: 401, body: { error: 'unauthorised' } };
    const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    if (!route) return { status: 404, body: { error: 'no such route' } };
    const vars = (url.pathname.match(route.pattern)?.groups ?? {}) as Record<string, string>;
    for (const k of Object.keys(vars)) vars[k] = decodeURIComponent(vars[k] as string);
    const store = load();
    const mine = store.records.filter((i) => matches(i, vars));
    switch (route.op) {
      case 'records':
        return { status: 200, body: page(config, mine, url, pageSize) };
      case 'erase': {
        store.records = store.records.filter((i) => !mine.includes(i));
        save(store);
        return { status: 200, body: counted(config.operations.erase?.count, mine.length) };
      }
      case 'rectify': {
        for (const target of Object.values(config.operations.rectify?.fields ?? {})) {
          const value = pathGet(body, target as string);
          if (value !== undefined) for (const item of mine) pathSet(item, target as string, value);
        }
        save(store);
        return { status: 200, body: counted(config.operations.rectify?.count, mine.length) };
      }
      case 'object': {
        for (const item of mine) item.objection = pathGet(body, 'scope');
        save(store);
        return { status: 200, body: {} };
      }
    }
  };

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: Error) => reply(res, 500, { error: error.name }));
  });
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text && req.headers['content-type']?.includes('json') ? JSON.parse(text) : undefined;
    } catch {
      return reply(res, 400, { error: 'not JSON' });
    }
    const key = req.method !== 'GET' ? req.headers['idempotency-key'] : undefined;
    if (typeof key === 'string') {
      const seen = load().answers[key];
      if (seen) return reply(res, seen.status, seen.body);
    }
    const answer = await handle(req, url, body);
    if (typeof key === 'string' && answer.status < 500 && answer.status !== 401) {
      const store = load();
      store.answers[key] = { status: answer.status, body: answer.body };
      save(store);
    }
    options.log?.(`[${config.name}] ${req.method} ${answer.status}`);
    reply(res, answer.status, answer.body);
  };

  return { server, prefix, records: () => load().records };
}

/** A path template as a pattern with a named group per variable. */
function compile(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
}

/** One page of records, at the paths the config reads them from. */
function page(config: HttpSystem, items: Item[], url: URL, pageSize: number) {
  const spec = config.operations.records;
  const paging = spec.pagination;
  const out: Item = {};
  if (paging?.type === 'page') {
    const n = Math.max(1, Number(url.searchParams.get(paging.param) ?? 1));
    const size = Math.max(1, Number(url.searchParams.get(paging.sizeParam) ?? pageSize));
    pathSet(out, spec.items, items.slice((n - 1) * size, n * size));
    return out;
  }
  if (paging?.type === 'cursor') {
    const from = Number(url.searchParams.get(paging.param) ?? 0) || 0;
    pathSet(out, spec.items, items.slice(from, from + pageSize));
    pathSet(out, paging.next, from + pageSize < items.length ? String(from + pageSize) : null);
    return out;
  }
  pathSet(out, spec.items, items);
  return out;
}

const counted = (path: string | undefined, n: number) => {
  const out: Item = {};
  if (path) pathSet(out, path, n);
  return out;
};

function authorised(req: IncomingMessage, config: HttpSystem, secret: string, tokens: Set<string>): boolean {
  const auth = config.auth;
  if (auth.type === 'api_key') {
    const given = req.headers[auth.header.toLowerCase()];
    return typeof given === 'string' && safeEqual(given, secret);
  }
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  return bearer !== undefined && tokens.has(bearer);
}

const tokenPath = (tokenUrl: string, prefix: string) =>
  /^https?:\/\//.test(tokenUrl) ? new URL(tokenUrl).pathname : `${prefix}${tokenUrl}`;

/** OAuth2 client credentials: the client's id and secret in Basic, as the connector sends them. */
function issueToken(req: IncomingMessage, secret: string, tokens: Set<string>) {
  const { clientId, clientSecret } = JSON.parse(secret) as { clientId: string; clientSecret: string };
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const expected = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64');
  if (!safeEqual(basic, expected)) return { status: 401, body: { error: 'invalid_client' } };
  const token = randomBytes(24).toString('base64url');
  tokens.add(token);
  return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: 3600 } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
