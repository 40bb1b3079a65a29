import { z } from 'zod';
import { now } from '../core/clock.ts';
import { recordResults } from '../core/progress.ts';
import { Language, Operation, Outcome, SystemName } from '../core/schemas.ts';
import { audit, store } from '../wiring.ts';
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

/** RecordLocate / RecordOutcomes: keeps each system's answer on the request. */
export const handler = task(Results, ({ requestId, results }) =>
  recordResults({ store: store(), audit: audit(), now }, requestId, results),
);
