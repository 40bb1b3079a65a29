import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { allConnectors } from '../connectors/wiring.ts';
import { now } from '../core/clock.ts';
import { purgeRestricted } from '../core/retention-purge.ts';
import { SweepInput } from '../core/retention-sweep.ts';
import { audit, logger, sweepFiles } from '../wiring.ts';

/** What a purge round leaves itself to write its counts before the Lambda's time runs out. */
const MARGIN_MS = 60_000;

/**
 * PurgeRestricted (retention sweep, P3, P11): removes the restricted records whose retention ended in every
 * system, re-checking open claims first; answers `more` when time ran out, and the state machine calls again.
 */
export const handler = middy(async (event: unknown, context: Context) => {
  const input = SweepInput.parse(event);
  logger.appendKeys({ runId: input.runId });
  const counts = await purgeRestricted(
    {
      connectors: allConnectors(),
      files: sweepFiles(),
      audit: audit(),
      now,
      timeLeft: () => (context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) > MARGIN_MS,
    },
    input,
  );
  logger.info('Retention sweep: restricted records purged', { dryRun: input.dryRun, ...counts });
  return counts;
}).use(injectLambdaContext(logger, { resetKeys: true }));
