import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { notifyRecipients } from '../core/notifications.ts';
import { audit, metrics, noticeDelivery, store } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/**
 * NotifyRecipients: tells each affected recipient of a rectification or erasure (Art. 19) and instructs the
 * marketing processors after an objection (Art. 28(3)(a)); P13. Answers counts only; a recipient that does not
 * acknowledge leaves its notice `sent` for the hourly sweep, it never fails the workflow.
 */
export const handler = task(TaskInput, async ({ requestId }) => {
  const result = await notifyRecipients(
    {
      store: store(),
      audit: audit(),
      // Recipients are notified in parallel, each within this, well inside the task's 50 s.
      delivery: noticeDelivery(10_000),
    },
    requestId,
  );
  metrics.addMetric('NoticesOnRecord', MetricUnit.Count, result.notified);
  metrics.addMetric('NoticesAcknowledged', MetricUnit.Count, result.acknowledged);
  metrics.publishStoredMetrics();
  return result;
});
