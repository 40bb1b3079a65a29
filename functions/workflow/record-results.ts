import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { now } from '../core/clock.ts';
import { CONNECTOR_FAILURES } from '../core/metric-names.ts';
import { recordResults } from '../core/progress.ts';
import { Language, Operation, Outcome, SystemName } from '../core/schemas.ts';
import { audit, metrics, store } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

const Results = TaskInput.extend({
  results: z.array(
    z.object({
      system: SystemName,
      operation: Operation,
      located: z
        .object({
          found: z.boolean(),
          records: z.number().int(),
          categories: z.array(z.string()),
          language: Language.optional(),
          recordTypes: z.array(z.string()).optional(),
          lists: z.array(z.string()).optional(),
        })
        .optional(),
      outcomes: z.array(Outcome),
    }),
  ),
});

/** RecordLocate / RecordOutcomes: keeps each system's answer on the request; counts the systems that failed. */
export const handler = task(Results, async ({ requestId, results }) => {
  const recorded = await recordResults({ store: store(), audit: audit(), now }, requestId, results);
  // A failure the workflow caught is no Lambda error: this metric is what the connector-failure alarm sees.
  const failed = results.filter((r) => r.outcomes.some((o) => o.kind === 'failed')).length;
  if (failed > 0) metrics.singleMetric().addMetric(CONNECTOR_FAILURES, MetricUnit.Count, failed);
  return recorded;
});
