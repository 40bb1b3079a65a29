// The Lambdas that keep deadlines from being missed in silence (P9, Art. 12(3)–(4)), beside functions/registry.ts,
// which lists the sweep among its SCHEDULES. Data only: nothing here imports a handler.
import type { ApiRoute, Need, ScheduledFunction } from './registry.ts';

/** Hourly: metrics of open requests by due date, staff reminders at the configured steps, interim answers. */
export const DEADLINE_SWEEP: ScheduledFunction = {
  id: 'DeadlineSweep',
  entry: 'functions/scheduled/deadline-sweep.ts',
  schedule: 'rate(1 hour)',
  needs: ['requests:write', 'audit:write', 'mail', 'metrics'],
};

export interface WorkflowEventFunction {
  id: string;
  entry: string;
  /** the execution statuses (Step Functions Execution Status Change) it is invoked for */
  statuses: ('FAILED' | 'TIMED_OUT' | 'ABORTED')[];
  needs: Need[];
}

/**
 * Invoked when a request workflow ends badly: by an EventBridge rule on AWS, by the local engine at the end of the
 * execution locally. The request is flagged for staff at once instead of waiting in silence.
 */
export const WORKFLOW_EVENTS: WorkflowEventFunction[] = [
  {
    id: 'WorkflowFailed',
    entry: 'functions/workflow/workflow-failed.ts',
    statuses: ['FAILED', 'TIMED_OUT', 'ABORTED'],
    needs: ['requests:write', 'audit:write', 'metrics'],
  },
];

/** P9: the period extended once, before the first due date; the mail is the notice to the subject (in API_ROUTES). */
export const EXTEND_ROUTE: ApiRoute = {
  id: 'ExtendRequest',
  method: 'POST',
  path: '/admin/requests/{id}/extend',
  entry: 'functions/api/extend-request.ts',
  access: 'approver',
  needs: ['requests:write', 'audit:write', 'idempotency', 'mail'],
};
