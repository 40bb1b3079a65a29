import { remindApprovers } from '../core/progress.ts';
import { approvalDeps } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** RemindApprovers: the approval wait timed out before the due date; tell staff again. */
export const handler = task(TaskInput, ({ requestId }) => remindApprovers(approvalDeps(), requestId));
