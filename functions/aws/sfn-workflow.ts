import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Workflow } from '../core/ports.ts';

/** Execution name for a request's attempt: the first is the request id, so a start happens exactly once. */
export const executionName = (requestId: string, attempt: number) =>
  attempt <= 1 ? requestId : `${requestId}-retry-${attempt}`;

/** The request workflow on Step Functions. */
export function sfnWorkflow(sfn: SFNClient, stateMachineArn: string): Workflow {
  return {
    async start(requestId, attempt) {
      try {
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn,
            name: executionName(requestId, attempt),
            input: JSON.stringify({ requestId, attempt }),
          }),
        );
        return true;
      } catch (e) {
        if (e instanceof Error && e.name === 'ExecutionAlreadyExists') return false;
        throw e;
      }
    },
    resume: (taskToken, output) =>
      answered(sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))),
    fail: (taskToken, error, cause) =>
      answered(sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }))),
  };
}

/** False when the token no longer waits: its task completed, timed out, or a restarted run replaced it. */
async function answered(sent: Promise<unknown>): Promise<boolean> {
  try {
    await sent;
    return true;
  } catch (e) {
    if (e instanceof Error && ['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken'].includes(e.name))
      return false;
    throw e;
  }
}
