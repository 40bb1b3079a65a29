import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { now } from '../core/clock.ts';
import { REQUEST_NEEDS_ACTION } from '../core/metric-names.ts';
import { RequestId } from '../core/schemas.ts';
import { recordWorkflowFailure } from '../core/workflow-failure.ts';
import { audit, logger, metrics, store } from '../wiring.ts';

// The EventBridge event "Step Functions Execution Status Change"; the input is what Workflow.start sent.
const ExecutionEnded = z.object({
  detail: z.object({
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    input: z.string(),
  }),
});
const Input = z.object({ requestId: RequestId, attempt: z.number().int().min(1).default(1) });

/**
 * WorkflowFailed: not a workflow task but invoked when a request's execution fails, times out or is aborted (an
 * EventBridge rule on AWS, the local engine locally). Flags the request for staff and raises RequestsNeedingAction
 * at once, so the failure is neither silent to staff nor, later, to the subject (Art. 12(3)–(4)).
 */
export const handler = middy(async (event: unknown, _context: Context) => {
  const { detail } = ExecutionEnded.parse(event);
  const { requestId, attempt } = Input.parse(JSON.parse(detail.input));
  logger.appendKeys({ requestId });
  const result = await recordWorkflowFailure(
    { store: store(), audit: audit(), now },
    requestId,
    attempt,
    detail.status,
  );
  if (result.flagged) metrics.singleMetric().addMetric(REQUEST_NEEDS_ACTION, MetricUnit.Count, 1);
  logger.error('Request workflow ended badly', { execution: detail.status, attempt, ...result });
  return result;
}).use(injectLambdaContext(logger, { resetKeys: true }));
