// The one way a workflow task is built: middy with Powertools logging (ids only) and zod on the input the
// state machine sends. A schema failure is a bug in the definition, so it fails the task loudly.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { RequestId } from '../core/schemas.ts';
import { logger } from '../wiring.ts';

/** Every task gets at least the request id; the workflow carries nothing else about the subject. */
export const TaskInput = z.object({ requestId: RequestId, attempt: z.number().int().min(1).default(1) });

export function task<S extends z.ZodType, R>(schema: S, fn: (input: z.infer<S>) => Promise<R>) {
  return middy(async (event: unknown, _context: Context) => {
    const input = schema.parse(event);
    logger.appendKeys({ requestId: (input as { requestId?: string }).requestId });
    return fn(input);
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}
