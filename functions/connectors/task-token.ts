// Every connector is invoked with .waitForTaskToken (statemachines/request.asl.json): one Task state per system,
// whether it has an API or an owner (P17), so no Choice between them. A connector therefore answers the parked task
// itself, through this middleware: its result, or its error's name for the state's Retry and Catch.
import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { Workflow } from '../core/ports.ts';
import { retryable } from './retryable.ts';

type Call = { system: string; operation: string; taskToken?: unknown };

export interface AnswerOptions<R> {
  workflow: () => Workflow;
  log: Pick<Logger, 'error'>;
  /** the task's output from the handler's response; none while a system's owner has not answered (P17) */
  output: (response: R) => unknown;
}

const callOf = (event: unknown): (Call & { taskToken: string }) | undefined => {
  const call = event as Call | undefined;
  return typeof call?.taskToken === 'string' && call.taskToken
    ? (call as Call & { taskToken: string })
    : undefined;
};

/**
 * Answers the task a connector ran for: SendTaskSuccess with the output, or SendTaskFailure with the error's name
 * and a cause that names no data (a ConnectorError's message, which names none). A failure to answer throws a
 * ConnectorError, so the invocation's own failure, or the task's timeout, asks again. An event without a token
 * (a test, the contract suite) gets the response as before.
 */
export function answerTask<R>(options: AnswerOptions<R>): middy.MiddlewareObj<unknown, R> {
  const send = (call: Call, fn: () => Promise<boolean>) => retryable(call.system, call.operation, fn);
  return {
    after: async (request) => {
      const call = callOf(request.event);
      if (!call) return;
      const output = options.output(request.response as R);
      if (output !== undefined) await send(call, () => options.workflow().resume(call.taskToken, output));
    },
    onError: async (request) => {
      const call = callOf(request.event);
      if (!call) return;
      const { error } = request;
      // Logged as the runtime would log a thrown error; the task's answer carries the name alone.
      options.log.error('Operation failed', error as Error);
      const name = error?.name || 'Error';
      const cause =
        name === 'ConnectorError' ? String(error?.message) : `${call.system} ${call.operation} failed`;
      await send(call, () => options.workflow().fail(call.taskToken, name, cause));
      // Answered: the invocation itself succeeds, so Lambda does not run it again.
      request.response = null as R;
    },
  };
}
