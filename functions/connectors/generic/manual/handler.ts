// The connector Lambda of a system without an API (P16, P17), one per configured manual system like any
// connector. The workflow invokes it with .waitForTaskToken: it answers a look at once and turns an operation into
// a task for the system's owner (core/manual-tasks.ts); the owner's answer on the task's page resumes the workflow.
import * as z from 'zod';
import { ENV } from '../../../core/config.ts';
import { openManualTask } from '../../../core/manual-tasks.ts';
import { Operation, SystemName } from '../../../core/schemas.ts';
import { logger, manualTaskDeps, workflow } from '../../../wiring.ts';
import { TaskInput, task } from '../../../workflow/task.ts';
import { retryable } from '../../retryable.ts';
import { answerTask } from '../../task-token.ts';
import { manualSystem } from './systems.ts';

const ManualCall = TaskInput.extend({
  attempt: z.number().int().min(0),
  system: SystemName,
  operation: Operation,
  taskToken: z.string().min(1),
});

export const handler = task(ManualCall, async (call) => {
  // A payload for another system is a wiring fault of the state machine: fail loudly, no retry. The local runtime
  // runs every handler in one process, without each function's own CONNECTOR_SYSTEM.
  const own = process.env[ENV.connectorSystem];
  if ((own && call.system !== own) || !manualSystem(call.system))
    throw new Error(`Event for ${call.system} reached the ${own ?? 'manual'} connector`);
  // Mailing the owner or resuming the workflow can meet a passing fault: the workflow's Retry opens the task again.
  const state = await retryable(call.system, call.operation, async () =>
    openManualTask(await manualTaskDeps(), call),
  );
  return { system: call.system, operation: call.operation, state };
}).use(
  // The owner's answer resumes the task (core/manual-tasks.ts); only a failure is answered from here.
  answerTask({ workflow, log: logger, output: () => undefined }),
);
