// Pieces every part of the OpenAPI document uses: the problem schema and response helpers.
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
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
