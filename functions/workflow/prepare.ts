import { now } from '../core/clock.ts';
import { prepare } from '../core/progress.ts';
import { audit, store } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** Prepare: what this execution must do, or that the request is already closed. */
export const handler = task(TaskInput, ({ requestId, attempt }) =>
  prepare({ store: store(), audit: audit(), now }, requestId, attempt),
);
