// The one way an API route is built: middy with Powertools logging, who calls checked first, idempotency on POST
// (Idempotency-Key, scoped to the caller), middy's header normalizer and JSON body parser, zod, and every error as
// an RFC 9457 problem from the registry (problems.ts) without internals.
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ZodError, type ZodType, type z } from 'zod';
import { isTransient } from '../aws/transient.ts';
import { ENV, env } from '../core/config.ts';
import { RefusedError } from '../core/errors.ts';
import type { Role } from '../registry.ts';
import { logger } from '../wiring.ts';
import { type Problem, ProblemError, problem, refusalProblem } from './problems.ts';

// A Map, not an object literal: a group named "toString" or "__proto__" must not find an inherited entry.
const RANK = new Map<Role, number>([
  ['viewer', 1],
  ['approver', 2],
  ['admin', 3],
]);

export interface Staff {
  /** the staff member's pseudonymous id (Cognito sub) */
  id: string;
  role: Role;
}

/** Client-keyed input (params, query, headers) comes as null-prototype records: no key is inherited. */
export interface RouteInput<B> {
  event: APIGatewayProxyEvent;
  body: B;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  sourceIp: string;
  staff?: Staff;
}

/** A JSON body, an HTML page (`html`), or no body at all (a redirect: `headers.location`). */
export interface RouteResult {
  status: number;
  body?: unknown;
  html?: string;
  headers?: Record<string, string>;
}

/** A copy of a record keyed by client input, without a prototype. */
export function ownRecord(
  source: Record<string, string | undefined> | null | undefined,
): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(source ?? {})) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

/** Seconds a client waits before it sends a request answered 503 again (RFC 9110 Retry-After). */
export const RETRY_AFTER_SECONDS = 5;

function problemResponse(p: Problem): APIGatewayProxyResult {
  return {
    statusCode: p.status ?? 500,
    headers: {
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      ...(p.status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {}),
    },
    body: JSON.stringify(p),
  };
}

const fromJsonParser = (e: unknown) =>
  (e as { cause?: { package?: string } })?.cause?.package === '@middy/http-json-body-parser';

/** The problem for an error; unknown ones become a bare 500 and are logged by name only. */
function problemFor(e: Error | null | undefined): Problem {
  if (e instanceof RefusedError) return refusalProblem(e.refusal);
  if (e instanceof ProblemError) return e.problem;
  if (e instanceof ZodError) {
    // Paths and messages only: the rejected values may be personal data, and so may an unknown key's name.
    const errors = e.issues.map((i) => ({
      path: i.path.join('.'),
      message: i.code === 'unrecognized_keys' ? 'Unknown field' : i.message,
    }));
    return problem('invalid-request', { detail: errors[0]?.message, extra: { errors } });
  }
  if (fromJsonParser(e)) {
    return e?.message === 'Unsupported Media Type'
      ? problem('unsupported-media-type', { detail: 'Content-Type must be application/json.' })
      : problem('invalid-json');
  }
  if (e?.name === 'IdempotencyValidationError') return problem('idempotency-key-reused');
  if (e?.name === 'IdempotencyAlreadyInProgressError') return problem('idempotency-in-progress');
  if (isTransient(e)) {
    // the idempotency record is dropped, so a retry with the same Idempotency-Key is carried out afresh
    logger.warn('Dependency busy', { errorName: e?.name });
    return problem('unavailable');
  }
  logger.error('Unhandled error', { errorName: e?.name });
  return problem('internal');
}

/**
 * A refusal a handler answers itself (a page for a browser): thrown past the idempotency middleware, so that it
 * deletes its in-progress record instead of keeping the refusal as the key's answer. Bad input stores nothing.
 */
class Refusal extends Error {
  constructor(readonly response: APIGatewayProxyResult) {
    super('refused');
  }
}

const problems = (): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: (request) => {
    request.response =
      request.error instanceof Refusal ? request.error.response : problemResponse(problemFor(request.error));
  },
});

/** After middy's normalizer (lower-case names): headers, query and path parameters without a prototype. */
const ownInput = (): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: ({ event }) => {
    event.headers = ownRecord(event.headers);
    if (event.queryStringParameters) event.queryStringParameters = ownRecord(event.queryStringParameters);
    if (event.pathParameters) event.pathParameters = ownRecord(event.pathParameters);
  },
});

function staffFrom(event: APIGatewayProxyEvent, needed: Role): Staff {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sub =
    claims && Object.hasOwn(claims, 'sub') && typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!sub) throw new ProblemError('unauthorized');
  // API Gateway passes Cognito groups as a string: "admin" or "[admin, viewer]" or "admin,viewer".
  const rank = (g: string) => RANK.get(g as Role) ?? 0;
  const role = String(claims?.['cognito:groups'] ?? '')
    .replace(/[[\]]/g, '')
    .split(/[\s,]+/)
    .filter((g): g is Role => RANK.has(g as Role))
    .sort((a, b) => rank(b) - rank(a))[0];
  if (!role || rank(role) < rank(needed)) {
    throw new ProblemError('forbidden', { detail: `This needs the ${needed} role.` });
  }
  return { id: sub, role };
}

/** Where the idempotency middleware reads its key: the caller's scope and the client's Idempotency-Key. */
interface ScopedEvent extends APIGatewayProxyEvent {
  idempotency?: { scope: string; key: string };
}

const staffOf = new WeakMap<APIGatewayProxyEvent, Staff>();

/**
 * Who calls, before anything answers (a replayed Idempotency-Key included): staff routes check the role, and the
 * key is scoped to the caller. Staff keys are scoped to the staff member (Cognito sub), so nobody else's key
 * replays their answer. Public callers have no identity before verification, so their keys are scoped to the
 * route only (the prefix); the payload check ([path, body]) then means a replay answers only someone who sends
 * the same path (request id, token) and body (address, code) that authorized the first answer anyway.
 */
const caller = (role: Role | undefined): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: ({ event }) => {
    const staff = role ? staffFrom(event, role) : undefined;
    if (staff) staffOf.set(event, staff);
    const key = event.headers['idempotency-key'];
    if (key) (event as ScopedEvent).idempotency = { scope: staff ? `staff:${staff.id}` : 'public', key };
  },
});

const bodyOf = new WeakMap<APIGatewayProxyEvent, unknown>();

/**
 * Parses the JSON body with middy's parser, on a copy: the event stays as sent, because the idempotency
 * middleware hashes its raw body both when it checks a key and when it stores the answer. A missing body is
 * invalid JSON, and the media type is compared case-insensitively (RFC 9110).
 */
const jsonBody = (): MiddlewareObj<APIGatewayProxyEvent> => {
  const parser = httpJsonBodyParser();
  return {
    before: async ({ event }) => {
      const type = (event.headers['content-type'] ?? '').replace(/^[^;]*/, (t) => t.trim().toLowerCase());
      const copy = {
        headers: { 'content-type': type },
        body: event.body ?? '',
        isBase64Encoded: event.isBase64Encoded,
      };
      await parser.before?.({ event: copy } as never);
      bodyOf.set(event, copy.body);
    },
  };
};

/** Errors of the idempotency check itself: the call never ran, so the record it found is not this call's. */
const REPLAY_REFUSALS = new Set(['IdempotencyValidationError', 'IdempotencyAlreadyInProgressError']);

// One persistence layer per route: Powertools sets the key prefix on it at every call, so routes sharing one in a
// process (the local runtime runs every handler in one) would store, find and delete each other's records.
const persistence = new Map<string, DynamoDBPersistenceLayer>();

interface RouteOptions<S extends ZodType | undefined> {
  /** registry route id; scopes Idempotency-Keys to this route */
  id: string;
  role?: Role;
  body?: S;
  /** POST routes: a repeated Idempotency-Key from the same caller gets the first answer */
  idempotent?: boolean;
}

/** Builds a Lambda handler for one API route. */
export function route<S extends ZodType | undefined = undefined>(
  options: RouteOptions<S>,
  fn: (input: RouteInput<S extends ZodType ? z.infer<S> : undefined>) => Promise<RouteResult>,
) {
  const core = async (event: APIGatewayProxyEvent, _context: Context): Promise<APIGatewayProxyResult> => {
    const body = (options.body ? options.body.parse(bodyOf.get(event)) : undefined) as S extends ZodType
      ? z.infer<S>
      : undefined;
    const result = await fn({
      event,
      body,
      params: ownRecord(event.pathParameters),
      query: ownRecord(event.queryStringParameters),
      headers: event.headers as Record<string, string>,
      sourceIp: event.requestContext?.identity?.sourceIp ?? 'unknown',
      staff: staffOf.get(event),
    });
    const [type, text] =
      result.html !== undefined
        ? ['text/html; charset=utf-8', result.html]
        : result.body !== undefined
          ? ['application/json', JSON.stringify(result.body)]
          : [undefined, ''];
    const response = {
      statusCode: result.status,
      headers: { ...(type ? { 'content-type': type } : {}), 'cache-control': 'no-store', ...result.headers },
      body: text,
    };
    if (result.status >= 400) throw new Refusal(response);
    return response;
  };

  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(core)
    .use(problems())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(ownInput())
    .use(caller(options.role));
  if (options.idempotent) {
    const store =
      persistence.get(options.id) ?? new DynamoDBPersistenceLayer({ tableName: env(ENV.idempotencyTable) });
    persistence.set(options.id, store);
    const idempotency = makeHandlerIdempotent({
      persistenceStore: store,
      keyPrefix: options.id,
      config: new IdempotencyConfig({
        eventKeyJmesPath: 'idempotency',
        payloadValidationJmesPath: '[path, body]',
        throwOnNoIdempotencyKey: false,
        expiresAfterSeconds: 24 * 3600,
      }),
    });
    handler.use({
      ...idempotency,
      // A refused replay (another body, or the first call still running) must leave the first caller's record.
      onError: async (request) => {
        if (REPLAY_REFUSALS.has(request.error?.name ?? '')) return;
        await idempotency.onError?.(request);
      },
    });
  }
  if (options.body) handler.use(jsonBody());
  return handler;
}
