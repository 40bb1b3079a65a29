// Pieces every part of the OpenAPI document uses: the problem schema, response helpers and the shared problems.
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import type { ApiRoute } from '../registry.ts';
import { PROBLEM_BASE } from './problems.ts';

/** One route's description, without its method and path (those come from the registry). */
export type RouteSpec = Omit<RouteConfig, 'method' | 'path'>;

const Problem = z
  .object({
    type: z.string().openapi({ example: `${PROBLEM_BASE}invalid-request` }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

/** A JSON response. */
export const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
/** A problem+json response. */
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});
/** An HTML page response. */
export const page = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string() } },
});

export const idempotencyKey = z.object({ 'Idempotency-Key': z.string().max(255).optional() });

type Responses = RouteSpec['responses'];

/** Adds a problem answer, or names the extra cause in the description of one already there. */
function addProblem(responses: Responses, status: number, cause: string): Responses {
  const there = responses[status];
  if (!there) return { ...responses, [status]: problem(cause.charAt(0).toUpperCase() + cause.slice(1)) };
  if (!('description' in there) || there.description?.toLowerCase().includes(cause.toLowerCase()))
    return responses;
  return { ...responses, [status]: { ...there, description: `${there.description}; or: ${cause}` } };
}

/**
 * The problems every route of a kind can answer, whatever its own description says: a malformed request id, a JSON
 * body that is not JSON, and the Idempotency-Key's own refusals (http.ts). Routes added later get them too.
 */
export function withCommonProblems(route: Pick<ApiRoute, 'path' | 'needs'>, spec: RouteSpec): RouteSpec {
  let responses = spec.responses;
  if (route.path.includes('{id}')) responses = addProblem(responses, 400, 'not a request id');
  const content = (spec.request?.body?.content ?? {}) as Record<string, unknown>;
  if ('application/json' in content) {
    responses = addProblem(responses, 400, 'the body is not valid JSON');
    responses = addProblem(responses, 415, 'the body is not application/json');
  }
  if (route.needs.includes('idempotency')) {
    responses = addProblem(responses, 409, 'a call with this Idempotency-Key is still in progress');
    responses = addProblem(responses, 422, 'Idempotency-Key reused with another body');
  }
  return { ...spec, responses };
}
