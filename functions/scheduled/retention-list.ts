import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { allConnectors } from '../connectors/wiring.ts';
import { now } from '../core/clock.ts';
import { RETENTION } from '../core/config.ts';
import { listShard, SweepInput } from '../core/retention-sweep.ts';
import { audit, logger, sweepFiles } from '../wiring.ts';

const Input = SweepInput.extend({
  shard: z
    .number()
    .int()
    .min(0)
    .max(RETENTION.shards - 1),
});

/**
 * ListSubjects (retention sweep, P11): one shard of every system's subject list, merged into batch files in S3
 * for the Distributed Map. Answers and logs counts only.
 */
export const handler = middy(async (event: unknown, _context: Context) => {
  const input = Input.parse(event);
  logger.appendKeys({ runId: input.runId, shard: input.shard });
  const result = await listShard(
    { connectors: allConnectors(), files: sweepFiles(), audit: audit(), now },
    input,
  );
  logger.info('Retention sweep: subjects listed', result);
  return result;
}).use(injectLambdaContext(logger, { resetKeys: true }));
