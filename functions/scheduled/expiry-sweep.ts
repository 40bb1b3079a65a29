import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { now } from '../core/clock.ts';
import { ENV, envNumber, MINIMISE_AFTER_DAYS_DEFAULT } from '../core/config.ts';
import { sweepExpiry } from '../core/expiry.ts';
import { audit, expiryIndex, letterStore, logger, mailer, metrics, store } from '../wiring.ts';

/**
 * ExpirySweep (hourly, EventBridge; locally a timer that also runs at start-up): unverified requests expire after
 * 14 days and their subject is told how to start again; expired requests, and completed or rejected ones
 * MINIMISE_AFTER_DAYS after they closed, lose their personal part. Counts only in logs and metrics.
 */
export const handler = middy(async (_event: unknown, _context: Context) => {
  const minimiseAfterDays = envNumber(ENV.minimiseAfterDays, MINIMISE_AFTER_DAYS_DEFAULT);
  const result = await sweepExpiry({
    store: store(),
    index: expiryIndex(),
    audit: audit(),
    mailer: mailer(),
    now,
    minimiseAfterDays,
    letters: letterStore(),
  });
  metrics.addMetric('RequestsExpired', MetricUnit.Count, result.expired);
  metrics.addMetric('RequestsMinimised', MetricUnit.Count, result.minimised);
  metrics.publishStoredMetrics();
  logger.info('Expiry sweep', { minimiseAfterDays, ...result });
  return result;
}).use(injectLambdaContext(logger, { resetKeys: true }));
