import * as z from 'zod';
import { now } from '../core/clock.ts';
import { LocateResultSchema } from '../core/connector.ts';
import { recordRecheck } from '../core/recheck.ts';
import { Operation, Outcome, SystemName } from '../core/schemas.ts';
import { audit, store } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

const Looks = TaskInput.extend({
  results: z.array(
    z.object({
      system: SystemName,
      operation: Operation,
      located: LocateResultSchema.optional(),
      outcomes: z.array(Outcome),
    }),
  ),
});

/** RecordRecheck: what a fresh look after an erasure found in each system, against its outcomes (P3). */
export const handler = task(Looks, ({ requestId, attempt, results }) =>
  recordRecheck({ store: store(), audit: audit(), now }, requestId, attempt, results),
);
