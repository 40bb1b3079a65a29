// The routes and the schedule of manual tasks (P16, P17): the owner of a system without an API answers through a
// signed link, without a console login; functions/registry.ts lists these among its API_ROUTES and SCHEDULES.
// Data only: nothing here imports a handler.
import type { ApiRoute, Need, ScheduledFunction } from './registry.ts';

/** A manual system's connector: the task on the request, its audit entries, the owner's mail, the link's key. */
export const MANUAL_CONNECTOR_NEEDS: Need[] = [
  'requests:write',
  'audit:write',
  'mail',
  'secret',
  'workflow:callback',
];

export const TASK_ROUTES: ApiRoute[] = [
  // The link is the authority; opening it shows the subject's data the owner needs, so it is audited (P15).
  {
    id: 'TaskPage',
    method: 'GET',
    path: '/tasks/{token}',
    entry: 'functions/api/task-page.ts',
    access: 'public',
    needs: ['requests:read', 'audit:write', 'secret'],
  },
  // The answer is recorded on the request, an extract stored in the export bucket, the parked workflow resumed.
  {
    id: 'TaskAnswer',
    method: 'POST',
    path: '/tasks/{token}',
    entry: 'functions/api/task-answer.ts',
    access: 'public',
    needs: ['requests:write', 'audit:write', 'secret', 'exports:write', 'workflow:callback'],
  },
];

export const TASK_REMINDERS: ScheduledFunction = {
  id: 'TaskReminders',
  entry: 'functions/scheduled/task-reminders.ts',
  schedule: 'rate(1 hour)',
  needs: ['requests:write', 'audit:write', 'mail', 'secret'],
};
