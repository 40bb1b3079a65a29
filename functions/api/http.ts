// The one way an API route is built: middy with Powertools logging, idempotency on POST (Idempotency-Key),
// staff role checks, strict JSON parsing with zod, and every error as RFC 9457 problem+json without internals.
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ZodError, type ZodType, type z } from 'zod';
import { ENV, env } from '../core/config.ts';
import { ClientError, PROBLEM_BASE } from '../core/errors.ts';
import type { Role } from '../registry.ts';
import { logger } from '../wiring.ts';

const RANK: Record<Role, number> = { viewer: 1, approver: 2, admin: 3 };

export interface Staff {
  /** the staff member's pseudonymous id (Cognito sub) */
  id: string;
  role: Role;
}

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

function problemResponse(status: number, type: string, title: string, detail?: string, extra?: object) {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify({
      type: `${PROBLEM_BASE}${type}`,
      title,
      status,
      ...(detail ? { detail } : {}),
      ...extra,
    }),
  };
}

/** Maps every error to a problem; unknown ones become a bare 500 and are logged by name only. */
const problems = (): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: (request) => {
    const e = request.error;
    if (e instanceof ClientError) {
      request.response = problemResponse(e.status, e.type, e.title, e.detail, e.extra);
    } else if (e instanceof ZodError) {
      // Paths and messages only: the rejected values may be personal data.
      const errors = e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      request.response = problemResponse(
        400,
        'invalid-request',
        'The request is not valid',
        errors[0]?.message,
        { errors },
      );
    } else if (e?.name === 'IdempotencyValidationError') {
      request.response = problemResponse(
        422,
        'idempotency-key-reused',
        'Idempotency-Key reused with another body',
      );
    } else if (e?.name === 'IdempotencyAlreadyInProgressError') {
      request.response = problemResponse(
        409,
        'idempotency-in-progress',
        'A request with this Idempotency-Key is in progress',
      );
    } else {
      logger.error('Unhandled error', { errorName: e?.name });
      request.response = problemResponse(500, 'internal', 'Something went wrong on our side');
    }
  },
});

/** API Gateway keeps header case as sent; everything here reads them lower-case. */
const lowerCaseHeaders = (): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: (request) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.event.headers ?? {}))
      if (v !== undefined) headers[k.toLowerCase()] = v;
    request.event.headers = headers;
  },
});

function staffFrom(event: APIGatewayProxyEvent, needed: Role): Staff {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = typeof claims?.sub === 'string' ? claims.sub : undefined;
  if (!sub) throw new ClientError(401, 'unauthorized', 'Staff login required');
  // API Gateway passes Cognito groups as a string: "admin" or "[admin, viewer]" or "admin,viewer".
  const groups = String(claims?.['cognito:groups'] ?? '')
    .replace(/[[\]]/g, '')
    .split(/[\s,]+/)
    .filter((g): g is Role => g in RANK);
  const role = groups.sort((a, b) => RANK[b] - RANK[a])[0];
  if (!role || RANK[role] < RANK[needed]) {
    throw new ClientError(403, 'forbidden', 'Not allowed for your role', `This needs the ${needed} role.`);
  }
  return { id: sub, role };
}

function parseBody<S extends ZodType>(event: APIGatewayProxyEvent, schema: S): z.infer<S> {
  const type = event.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ClientError(
      415,
      'unsupported-media-type',
      'Send a JSON body',
      'Content-Type must be application/json.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(
      event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString() : (event.body ?? ''),
    );
  } catch {
    throw new ClientError(400, 'invalid-json', 'The body is not valid JSON');
  }
  return schema.parse(json);
}

let persistence: DynamoDBPersistenceLayer | undefined;

interface RouteOptions<S extends ZodType | undefined> {
  /** registry route id; scopes Idempotency-Keys to this route */
  id: string;
  role?: Role;
  body?: S;
  /** POST routes: a repeated Idempotency-Key gets the first answer */
  idempotent?: boolean;
}

/** Builds a Lambda handler for one API route. */
export function route<S extends ZodType | undefined = undefined>(
  options: RouteOptions<S>,
  fn: (input: RouteInput<S extends ZodType ? z.infer<S> : undefined>) => Promise<RouteResult>,
) {
  const core = async (event: APIGatewayProxyEvent, _context: Context): Promise<APIGatewayProxyResult> => {
    const staff = options.role ? staffFrom(event, options.role) : undefined;
    const body = (options.body ? parseBody(event, options.body) : undefined) as S extends ZodType
      ? z.infer<S>
      : undefined;
    const result = await fn({
      event,
      body,
      params: (event.pathParameters ?? {}) as Record<string, string>,
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
      headers: event.headers as Record<string, string>,
      sourceIp: event.requestContext?.identity?.sourceIp ?? 'unknown',
      staff,
    });
    const [type, text] =
      result.html !== undefined
        ? ['text/html; charset=utf-8', result.html]
        : result.body !== undefined
          ? ['application/json', JSON.stringify(result.body)]
          : [undefined, ''];
    return {
      statusCode: result.status,
      headers: { ...(type ? { 'content-type': type } : {}), 'cache-control': 'no-store', ...result.headers },
      body: text,
    };
  };

  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(core)
    .use(problems())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(lowerCaseHeaders());
  if (options.idempotent) {
    persistence ??= new DynamoDBPersistenceLayer({ tableName: env(ENV.idempotencyTable) });
    handler.use(
      makeHandlerIdempotent({
        persistenceStore: persistence,
        keyPrefix: options.id,
        config: new IdempotencyConfig({
          eventKeyJmesPath: 'headers."idempotency-key"',
          payloadValidationJmesPath: '[path, body]',
          throwOnNoIdempotencyKey: false,
          expiresAfterSeconds: 24 * 3600,
        }),
      }),
    );
  }
  return handler;
}
