import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { now } from '../core/clock.ts';
import { recordDelivery } from '../core/delivery.ts';
import { UNDELIVERABLE_MAIL } from '../core/metric-names.ts';
import { sesNotificationsOf } from '../core/ses-event.ts';
import { audit, logger, messageLog, metrics, store } from '../wiring.ts';

/**
 * MailEvents: SES's bounce and complaint events as SNS delivers them (the local runtime wraps the mailbox simulator's
 * the same way). Marks the request the mail was about (P10); mail about no request is logged by message id only.
 * Nothing unreadable is retried: a malformed message would fail every time.
 */
export const handler = middy(async (event: unknown, _context: Context) => {
  const notifications = sesNotificationsOf(event);
  if (!notifications) {
    logger.warn('Not an SNS event; ignored');
    return { marked: 0 };
  }
  const deps = { store: store(), audit: audit(), messages: messageLog(), now };
  let marked = 0;
  for (const n of notifications) {
    if (n.kind === 'malformed') {
      logger.warn('Malformed SES notification; ignored');
      continue;
    }
    if (n.kind === 'ignored') continue;
    const result = await recordDelivery(deps, n.event);
    if (result.outcome === 'unknown') {
      logger.info('Mail event for no request; ignored', {
        messageId: n.event.messageId,
        state: n.event.state,
      });
      continue;
    }
    logger.warn('Mail about a request did not reach its recipient', {
      requestId: result.requestId,
      state: n.event.state,
      messageKind: result.kind,
      repeat: result.outcome === 'repeat',
    });
    if (result.outcome === 'marked') {
      marked += 1;
      metrics.singleMetric().addMetric(UNDELIVERABLE_MAIL, MetricUnit.Count, 1);
    }
  }
  return { marked };
}).use(injectLambdaContext(logger, { resetKeys: true }));
