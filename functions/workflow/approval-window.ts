import { now } from '../core/clock.ts';
import { approvalWindow } from '../core/progress.ts';
import { store } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** ApprovalWindow: how long AwaitApproval waits before staff are reminded. */
export const handler = task(TaskInput, ({ requestId }) => approvalWindow({ store: store(), now }, requestId));
