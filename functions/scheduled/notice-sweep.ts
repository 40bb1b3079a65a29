import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ENV, envNumber } from '../core/config.ts';
import { DEFAULT_ACK_TIMEOUT_MINUTES, sweepNotices } from '../core/notifications.ts';
import { audit, logger, metrics, noticeDelivery } from '../wiring.ts';

/**
 * NoticeSweep (hourly, EventBridge): re-sends every notice to a recipient that is unacknowledged for longer than
 * NOTICE_ACK_TIMEOUT_MINUTES (default a day) and publishes how many still are as `UnacknowledgedNotices`, which
 * raises the alarm (P13). Counts only in logs and metrics.
 */
export const handler = middy(async (_event: unknown, _context: Context) => {
  const timeoutMinutes = envNumber(ENV.noticeAckTimeoutMinutes, DEFAULT_ACK_TIMEOUT_MINUTES);
  const result = await sweepNotices(
    {
      delivery: noticeDelivery(8000),
      audit: audit(),
    },
    { timeoutMinutes },
  );
  // Published every run, zero included, so the alarm also clears.
  metrics.addMetric('UnacknowledgedNotices', MetricUnit.Count, result.unacknowledged);
  metrics.publishStoredMetrics();
  logger.info('Notice sweep', { timeoutMinutes, ...result });
  return result;
}).use(injectLambdaContext(logger, { resetKeys: true }));
