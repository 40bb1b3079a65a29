import { remindIdentityCheck } from '../core/identity-check.ts';
import { approvalDeps } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** RemindIdentityCheck: the wait for staff to pick the person timed out; tell staff again (P8). */
export const handler = task(TaskInput, ({ requestId }) => remindIdentityCheck(approvalDeps(), requestId));
