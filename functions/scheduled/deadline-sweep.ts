import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { DEADLINE_REMINDER_DAYS, ENV, envDays } from '../core/config.ts';
import { sweepDeadlines } from '../core/deadline-sweep.ts';
import { DEADLINE_METRICS as M } from '../core/metric-names.ts';
import { deadlineSweepDeps, logger, metrics } from '../wiring.ts';

/**
 * DeadlineSweep (hourly, EventBridge; locally a timer that also runs at start-up): open requests by due date, as
 * metrics per type and status (P9), staff reminders at DEADLINE_REMINDER_DAYS and when overdue, and the interim
 * answer to a subject whose request is not done (Art. 12(3)–(4)). Counts only in logs and metrics.
 */
export const handler = middy(async (_event: unknown, _context: Context) => {
  const reminderDays = envDays(ENV.deadlineReminderDays, DEADLINE_REMINDER_DAYS);
  const result = await sweepDeadlines(deadlineSweepDeps(), { reminderDays });
  // Totals with the service dimension alone, every run and zero included, so the alarms also clear.
  const { totals } = result;
  metrics.addMetric(M.open, MetricUnit.Count, totals.open);
  metrics.addMetric(M.dueWithin7Days, MetricUnit.Count, totals.dueWithin7Days);
  metrics.addMetric(M.dueWithin2Days, MetricUnit.Count, totals.dueWithin2Days);
  metrics.addMetric(M.overdue, MetricUnit.Count, totals.overdue);
  metrics.addMetric(M.partiallyCompletedOverADay, MetricUnit.Count, totals.partiallyCompletedOverADay);
  metrics.addMetric(M.needingAction, MetricUnit.Count, totals.needingAction);
  metrics.addMetric(M.reminded, MetricUnit.Count, result.reminded);
  metrics.addMetric(M.interimAnswers, MetricUnit.Count, result.interimAnswers);
  metrics.publishStoredMetrics();
  // One blob per type and status; nothing is awaited in between, so no other handler's metric slips in.
  for (const { type, status, counts } of result.groups) {
    metrics.addDimensions({ type, status });
    metrics.addMetric(M.open, MetricUnit.Count, counts.open);
    metrics.addMetric(M.dueWithin7Days, MetricUnit.Count, counts.dueWithin7Days);
    metrics.addMetric(M.dueWithin2Days, MetricUnit.Count, counts.dueWithin2Days);
    metrics.addMetric(M.overdue, MetricUnit.Count, counts.overdue);
    metrics.publishStoredMetrics();
  }
  logger.info('Deadline sweep', {
    reminderDays,
    ...totals,
    reminded: result.reminded,
    interimAnswers: result.interimAnswers,
  });
  return { ...totals, reminded: result.reminded, interimAnswers: result.interimAnswers };
}).use(injectLambdaContext(logger, { resetKeys: true }));
