import * as z from 'zod';
import { awaitIdentityCheck } from '../core/identity-check.ts';
import { approvalDeps } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** AwaitIdentityCheck (.waitForTaskToken): parks until staff pick the person, or resumes if they already did (P8). */
export const handler = task(TaskInput.extend({ taskToken: z.string().min(1) }), ({ requestId, taskToken }) =>
  awaitIdentityCheck(approvalDeps(), requestId, taskToken),
);
