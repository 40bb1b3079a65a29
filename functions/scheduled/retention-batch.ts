import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { allConnectors } from '../connectors/wiring.ts';
import { now } from '../core/clock.ts';
import { ENV, envNumber, RETENTION } from '../core/config.ts';
import { sweepBatch } from '../core/retention-batch.ts';
import { batchPrefix, SweepInput } from '../core/retention-sweep.ts';
import { appSecret, audit, erasureLedger, logger, store, sweepFiles } from '../wiring.ts';

/** The Distributed Map's item: the run and one of its batch files (an S3 key, no customer number). */
const Input = SweepInput.extend({ key: z.string().max(300) }).refine(
  (i) => i.key.startsWith(batchPrefix(i.runId)) && i.key.endsWith('.json'),
  'A batch file of this run',
);

/**
 * SweepBatch (retention sweep, P11): looks at each subject of one batch file in every system and erases the
 * inactive ones (no approval; legal retention and open claims kept as for an erasure request). The customer
 * numbers go to the batch's result file for staff; the answer and the log hold counts only.
 */
export const handler = middy(async (event: unknown, _context: Context) => {
  const input = Input.parse(event);
  logger.appendKeys({ runId: input.runId });
  // The statement promises deletion after at most three years of inactivity (P11): never later than that.
  const years = envNumber(ENV.retentionInactivityYears, RETENTION.inactivityYears);
  if (!(years > 0 && years <= RETENTION.inactivityYears))
    throw new Error(
      `${ENV.retentionInactivityYears} must be above 0 and at most ${RETENTION.inactivityYears}`,
    );
  const counts = await sweepBatch(
    {
      connectors: allConnectors(),
      files: sweepFiles(),
      audit: audit(),
      requests: store(),
      ledger: erasureLedger(),
      secret: await appSecret(),
      now,
      inactivityYears: years,
    },
    input,
  );
  logger.info('Retention sweep: batch done', { dryRun: input.dryRun, ...counts });
  return counts;
}).use(injectLambdaContext(logger, { resetKeys: true }));
