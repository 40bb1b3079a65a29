// Local API Gateway (REST, Lambda proxy): for every API_ROUTES entry it builds the event API Gateway would send,
// checks staff tokens as the Cognito authorizer would, invokes the same handler, and maps its result back.
// API Gateway's own errors answer as the stack configures them: RFC 9457 problem+json.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Asset } from '../console/build.ts';
import { type ProblemName, problem as problemBody } from '../functions/api/problems.ts';
import type { ApiRoute } from '../functions/registry.ts';
import { routeMatcher } from '../functions/routing.ts';
import { authorizerClaims, verifyStaffToken } from './staff-auth.ts';
import type { LocalLogin } from './staff-users.ts';

export const STAGE = 'v1';
const MAX_BODY = 10 * 1024 * 1024; // API Gateway's payload limit
const INTEGRATION_TIMEOUT_MS = 29_000; // API Gateway gives up on an integration after 29 s

export interface ApiServerOptions {
  routes: ApiRoute[];
  /** Invokes the route's handler with the event; rejects when the Lambda fails. */
  invoke(route: ApiRoute, event: APIGatewayProxyEvent): Promise<unknown>;
  staffKey: Uint8Array;
  /** 200 with the body once everything is up, 503 before. */
  health(): { ready: boolean; body: Record<string, unknown> };
  accountId: string;
  /** Take the source IP from X-Forwarded-For (e.g. to spread a benchmark over sources); off by default. */
  trustForwardedFor?: boolean;
  /** One line per request (no query, no body); defaults to stdout. */
  accessLog?: (line: string) => void;
  /** The privacy centre's files by path (console/build.ts); served where no API route matches. */
  assets?: ReadonlyMap<string, Asset>;
  /** The local staff sign-in (POST /console/login) the console uses instead of Cognito's hosted login. */
  login?: LocalLogin;
}

/** The pages' policy: their own script and style only, no framing, no form or base elsewhere. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

type Matcher = ReturnType<typeof routeMatcher>;

/** A record keyed by what a client sent (header names, query keys): no prototype, so no name is inherited. */
const clientKeyed = <V>() => Object.create(null) as Record<string, V>;

/** Creates (does not start) the local API server. */
export function createApiServer(options: ApiServerOptions): Server {
  const matcher = routeMatcher(options.routes);
  const accessLog = options.accessLog ?? ((line: string) => process.stdout.write(`${line}\n`));
  return createServer((req, res) => {
    const started = Date.now();
    void handle(req, res, options, matcher).then(
      (status) => {
        // The route template, as API Gateway's access log on AWS: paths carry ids and tokens (downloads, opt-outs).
        const path = (req.url ?? '').split('?')[0] ?? '';
        const template = matcher.template(path) ?? path.split('/').slice(0, 2).join('/');
        accessLog(`[api] ${req.method} ${template} ${status} ${Date.now() - started}ms`);
      },
      (error: unknown) => {
        process.stderr.write(`[api] ${(error as Error).stack ?? String(error)}\n`);
        if (!res.headersSent)
          send(res, 500, { 'Content-Type': 'application/json' }, '{"message":"Internal server error"}');
      },
    );
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: ApiServerOptions,
  matcher: Matcher,
): Promise<number> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://local');
  const method = (req.method ?? 'GET').toUpperCase();
  // The deployed API lives under its stage (/v1); accept that prefix too, so URLs can be copied across.
  let path = url.pathname.replace(new RegExp(`^/${STAGE}(?=/|$)`), '') || '/';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);

  if (path === '/health' && (method === 'GET' || method === 'HEAD')) {
    const { ready, body } = options.health();
    return send(
      res,
      ready ? 200 : 503,
      { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      JSON.stringify(body),
    );
  }
  if (options.login && path.startsWith('/console/')) {
    const answered = await consoleAuth(req, res, method, path, options.login, requestId, options);
    if (answered !== undefined) return answered;
  }
  const decoded = safeDecode(path);
  const hit = matcher.match(method, decoded);
  // An API route always wins; a page or its assets answer only paths no route has.
  const asset = hit.kind === 'none' ? options.assets?.get(path) : undefined;
  if (asset && (method === 'GET' || method === 'HEAD')) return sendAsset(res, method, asset);
  if (!options.health().ready) {
    return problem(res, requestId, 'starting');
  }

  if (hit.kind === 'none') return problem(res, requestId, 'no-route');
  if (hit.kind === 'method-not-allowed') {
    const allow = hit.allow.join(', ');
    return problem(res, requestId, 'method-not-allowed', {
      detail: `Use ${allow}.`,
      headers: { Allow: allow },
    });
  }

  const body = await readBody(req);
  if (body === undefined) return problem(res, requestId, 'too-large');

  const { route } = hit;
  let claims: Record<string, string> | undefined;
  if (route.access !== 'public') {
    const header = req.headers.authorization;
    const token = header?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return problem(res, requestId, 'gateway-unauthorized', { detail: 'Send a staff token.' });
    try {
      claims = authorizerClaims(await verifyStaffToken(options.staffKey, token));
    } catch {
      return problem(res, requestId, 'gateway-unauthorized', { detail: 'The token is invalid or expired.' });
    }
  }

  const pathParameters = clientKeyed<string>();
  for (const [name, value] of hit.pathParameters) pathParameters[name] = value;
  const event = buildEvent({
    req,
    route,
    method,
    path: decoded,
    url,
    pathParameters,
    body,
    requestId,
    claims,
    accountId: options.accountId,
    trustForwardedFor: options.trustForwardedFor ?? false,
  });

  let result: unknown;
  let timer: NodeJS.Timeout | undefined;
  try {
    result = await Promise.race([
      options.invoke(route, event),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new IntegrationTimeout()), INTEGRATION_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    if (error instanceof IntegrationTimeout) {
      return problem(res, requestId, 'server-error', { status: 504, detail: 'Endpoint request timed out' });
    }
    // API Gateway answers a failed Lambda with 502 (DEFAULT_5XX, which the stack shapes as a problem).
    return problem(res, requestId, 'server-error');
  } finally {
    clearTimeout(timer);
  }
  return respond(res, requestId, result);
}

class IntegrationTimeout extends Error {}

/** The console's runtime config and local sign-in; undefined for any other /console/ path (a page or asset). */
async function consoleAuth(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
  login: LocalLogin,
  requestId: string,
  options: ApiServerOptions,
): Promise<number | undefined> {
  const json = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  if (path === '/console/config.json' && method === 'GET')
    return send(res, 200, json, JSON.stringify({ auth: 'local' }));
  if (path !== '/console/login') return undefined;
  if (method !== 'POST') return problem(res, requestId, 'method-not-allowed', { headers: { Allow: 'POST' } });
  const body = await readBody(req);
  if (body === undefined) return problem(res, requestId, 'too-large');
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')[0]
    ?.trim();
  const source =
    (options.trustForwardedFor && forwarded) || normalizeIp(req.socket.remoteAddress ?? '127.0.0.1');
  const answer = await login.signIn(body, source);
  if (!answer.ok) return problem(res, requestId, answer.problem);
  return send(res, 200, json, JSON.stringify(answer.body));
}

interface EventInput {
  req: IncomingMessage;
  route: ApiRoute;
  method: string;
  path: string;
  url: URL;
  pathParameters: Record<string, string>;
  body: Buffer;
  requestId: string;
  claims: Record<string, string> | undefined;
  accountId: string;
  trustForwardedFor: boolean;
}

/** The API Gateway REST (v1) proxy event, as close to the real one as a local server can make it. */
export function buildEvent(input: EventInput): APIGatewayProxyEvent {
  const { req, route, url } = input;
  const socketIp = normalizeIp(req.socket.remoteAddress ?? '127.0.0.1');
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const sourceIp = input.trustForwardedFor && forwarded[0] ? forwarded[0] : socketIp;

  // Header names keep the case the client sent, as API Gateway REST passes them; it adds the X-Forwarded-*.
  const multiValueHeaders = clientKeyed<string[]>();
  const caseOf = new Map<string, string>();
  const add = (name: string, value: string) => {
    const key = caseOf.get(name.toLowerCase()) ?? name;
    caseOf.set(name.toLowerCase(), key);
    multiValueHeaders[key] = [...(multiValueHeaders[key] ?? []), value];
  };
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    if (/^(x-forwarded-(for|port|proto)|x-amzn-trace-id)$/i.test(name)) continue;
    add(name, req.rawHeaders[i + 1] as string);
  }
  add('X-Forwarded-For', [...forwarded, socketIp].join(', '));
  add('X-Forwarded-Port', String(req.socket.localPort ?? ''));
  add('X-Forwarded-Proto', 'http');
  add(
    'X-Amzn-Trace-Id',
    `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
  );
  const headers = lastValues(multiValueHeaders);

  const multiValueQuery = clientKeyed<string[]>();
  for (const [k, v] of url.searchParams) multiValueQuery[k] = [...(multiValueQuery[k] ?? []), v];
  const hasQuery = Object.keys(multiValueQuery).length > 0;
  const now = new Date();
  const userAgent = headers[caseOf.get('user-agent') ?? 'User-Agent'] ?? null;

  return {
    resource: route.path,
    path: input.path,
    httpMethod: input.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? lastValues(multiValueQuery) : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters: Object.keys(input.pathParameters).length ? input.pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: input.accountId,
      apiId: 'local',
      authorizer: input.claims ? { claims: input.claims } : null,
      domainName: String(req.headers.host ?? 'localhost'),
      domainPrefix: String(req.headers.host ?? 'localhost').split(':')[0] as string,
      extendedRequestId: randomBytes(8).toString('base64url'),
      httpMethod: input.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: `/${STAGE}${input.path}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId: input.requestId,
      requestTime: apiGatewayTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: route.path,
      stage: STAGE,
    },
    body: input.body.length ? input.body.toString('utf8') : null,
    isBase64Encoded: false,
  } as APIGatewayProxyEvent;
}

/** Maps a Lambda proxy result to the HTTP answer; a malformed one is a 502, as on API Gateway. */
function respond(res: ServerResponse, requestId: string, result: unknown): number {
  const r = result as {
    statusCode?: unknown;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown[]>;
    body?: unknown;
    isBase64Encoded?: boolean;
  } | null;
  const valid =
    r !== null &&
    typeof r === 'object' &&
    Number.isInteger(r.statusCode) &&
    (r.body === undefined || r.body === null || typeof r.body === 'string');
  if (!valid) {
    process.stderr.write('[api] malformed Lambda proxy response (needs statusCode and a string body)\n');
    return problem(res, requestId, 'server-error');
  }
  // Names chosen by the handler; still no prototype, so a header named like one cannot break the mapping.
  const headers = clientKeyed<string | string[]>();
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k] = String(v);
  for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) headers[k] = v.map(String);
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/json';
  headers['x-amzn-RequestId'] = requestId;
  headers['x-amz-apigw-id'] = randomBytes(8).toString('base64url');
  const body =
    typeof r.body === 'string' ? Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  return send(res, r.statusCode as number, headers, body);
}

/** The last value of each name, as API Gateway's single-value maps carry it. */
function lastValues(multi: Record<string, string[]>): Record<string, string> {
  const out = clientKeyed<string>();
  for (const [k, v] of Object.entries(multi)) out[k] = v[v.length - 1] as string;
  return out;
}

/** Answers a registered problem (functions/api/problems.ts), as the stack's gateway responses do on AWS. */
function problem(
  res: ServerResponse,
  requestId: string,
  name: ProblemName,
  options: { detail?: string; status?: number; headers?: Record<string, string> } = {},
): number {
  const p = problemBody(name, { detail: options.detail, status: options.status });
  const status = p.status ?? 500;
  const extraHeaders = options.headers ?? {};
  const body = JSON.stringify(p);
  return send(
    res,
    status,
    {
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      'x-amzn-RequestId': requestId,
      ...extraHeaders,
    },
    body,
  );
}

function sendAsset(res: ServerResponse, method: string, asset: Asset): number {
  res.writeHead(200, {
    'Content-Type': asset.contentType,
    'Content-Length': asset.body.length,
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  res.end(method === 'HEAD' ? undefined : asset.body);
  return 200;
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: string | Buffer,
): number {
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return status;
}

/** Reads the body; undefined when it is larger than API Gateway accepts. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

// e.g. 09/Apr/2015:12:34:56 +0000
function apiGatewayTime(d: Date): string {
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
