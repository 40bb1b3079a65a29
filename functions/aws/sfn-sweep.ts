import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SweepRuns } from '../core/ports.ts';

/** The retention sweep's own state machine: the execution name is the run id, the input says dry run or not. */
export function sfnSweepRuns(sfn: SFNClient, stateMachineArn: string): SweepRuns {
  return {
    async start(runId, dryRun) {
      await sfn.send(
        new StartExecutionCommand({ stateMachineArn, name: runId, input: JSON.stringify({ dryRun }) }),
      );
    },
  };
}
