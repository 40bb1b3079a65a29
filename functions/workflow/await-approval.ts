import * as z from 'zod';
import { awaitApproval } from '../core/progress.ts';
import { approvalDeps } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** AwaitApproval (.waitForTaskToken): parks the token for staff, or resumes at once if they already decided. */
export const handler = task(TaskInput.extend({ taskToken: z.string().min(1) }), ({ requestId, taskToken }) =>
  awaitApproval(approvalDeps(), requestId, taskToken),
);
