import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { remindOwners } from '../core/manual-tasks.ts';
import { logger, manualTaskDeps, openRequests } from '../wiring.ts';

/**
 * TaskReminders (hourly, EventBridge; locally a timer): the owners of open manual tasks (P16, P17) are reminded
 * every `reminderDays` of their system's configuration until they answer; the request's own deadline alarms apply
 * as to any request in progress (P9). Counts only in the log.
 */
export const handler = middy(async (_event: unknown, _context: Context) => {
  const deps = await manualTaskDeps();
  let requests = 0;
  let reminded = 0;
  for await (const page of openRequests().byDue())
    for (const r of page) {
      if (r.status !== 'in_progress' || !r.manualTasks) continue;
      requests += 1;
      reminded += await remindOwners(deps, r);
    }
  logger.info('Task reminders', { requests, reminded });
  return { requests, reminded };
}).use(injectLambdaContext(logger, { resetKeys: true }));
