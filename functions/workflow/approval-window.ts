import { now } from '../core/clock.ts';
import { approvalWindow } from '../core/progress.ts';
import { store } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** ApprovalWindow (the IdentityWindow state): how long AwaitIdentityCheck waits before staff are reminded. */
export const handler = task(TaskInput, ({ requestId }) => approvalWindow({ store: store(), now }, requestId));
