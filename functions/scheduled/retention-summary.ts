import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { now } from '../core/clock.ts';
import { ENV, env } from '../core/config.ts';
import { summariseSweep } from '../core/retention-summary.ts';
import { SweepInput } from '../core/retention-sweep.ts';
import { audit, logger, mailer, metrics, sweepFiles } from '../wiring.ts';

/**
 * SummariseSweep (retention sweep, P11): adds up the run, closes its audit chain, mails staff the day's figures
 * and publishes them as metrics. Counts only, everywhere.
 */
export const handler = middy(async (event: unknown, _context: Context) => {
  const input = SweepInput.parse(event);
  logger.appendKeys({ runId: input.runId });
  const summary = await summariseSweep(
    { files: sweepFiles(), audit: audit(), mailer: mailer(), staffInbox: env(ENV.staffInbox), now },
    input,
  );
  metrics.addDimension('mode', input.dryRun ? 'dry_run' : 'erase');
  metrics.addMetric('RetentionSubjects', MetricUnit.Count, summary.subjects);
  metrics.addMetric('RetentionErased', MetricUnit.Count, summary.erased);
  metrics.addMetric('RetentionHeld', MetricUnit.Count, summary.verdicts.open_access_request);
  metrics.addMetric('RetentionFailed', MetricUnit.Count, summary.failed);
  metrics.addMetric('RetentionPurged', MetricUnit.Count, summary.purged);
  metrics.publishStoredMetrics();
  logger.info('Retention sweep: summary', {
    dryRun: input.dryRun,
    subjects: summary.subjects,
    erased: summary.erased,
    failed: summary.failed,
    purged: summary.purged,
  });
  return {
    subjects: summary.subjects,
    erased: summary.erased,
    failed: summary.failed,
    purged: summary.purged,
  };
}).use(injectLambdaContext(logger, { resetKeys: true }));
