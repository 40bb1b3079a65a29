// Switches the embedded runtime's faults (local/faults.ts) by writing <data dir>/faults.json, which the runtime
// reads again on its next call; and counts what it injected from its log.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { onTestFailed, onTestFinished } from 'vitest';
import { FAULT_FILE, type FaultSpec, type FaultTarget } from '../../local/faults.ts';

interface FaultRuntime {
  readonly dataDir: string;
  logs(): string[];
}

// mtime resolution can hide two writes within one tick: a counter in the file makes each write differ in size or content.
let generation = 0;

/** Switches on exactly these faults (every other target back to normal). */
export function setFaults(rt: FaultRuntime, spec: FaultSpec): void {
  generation += 1;
  writeFileSync(join(rt.dataDir, FAULT_FILE), `${JSON.stringify({ ...spec, generation })}\n`);
}

/** Switches every fault off. */
export function clearFaults(rt: FaultRuntime): void {
  rmSync(join(rt.dataDir, FAULT_FILE), { force: true });
}

/** How many faults the runtime injected so far, per target, from its `[faults] <target>[/<op>] <mode> #n` lines. */
export function faultsInjected(rt: FaultRuntime): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of rt.logs()) {
    const m = /\[faults\] ([a-z]+)(?:\/[a-z]+)? (fail|hang|garbage|lost) #/.exec(line);
    if (m?.[1]) counts[m[1] as FaultTarget] = (counts[m[1]] ?? 0) + 1;
  }
  return counts;
}

/** The last steps of a request's executions (state names, errors; no payloads), to say where a stuck one stopped. */
export async function whereItStopped(
  rt: { awsLocalUrl: string; stateMachineArn: string },
  id: string,
): Promise<string[]> {
  const sfn = new SFNClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: rt.awsLocalUrl,
  });
  // the first attempt's execution is named after the request (functions/aws/sfn-workflow.ts)
  const executionArn = `${rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;
  const lines: string[] = [];
  {
    const e = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    lines.push(`${e.name} ${e.status}`);
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
    );
    for (const ev of events.slice(-40)) {
      const d = (ev.stateEnteredEventDetails ??
        ev.taskFailedEventDetails ??
        ev.executionFailedEventDetails) as { name?: string; error?: string; cause?: string } | undefined;
      lines.push(
        `  ${ev.id} ${ev.timestamp?.toISOString().slice(11, 23)} ${ev.type} ${d?.name ?? ''} ${d?.error ?? ''} ${(d?.cause ?? '').slice(0, 160)}`,
      );
    }
  }
  return lines;
}

/**
 * For a fault suite's test: a failure prints the runtime's error lines, so a CI log shows where it went wrong;
 * FAULT_LOG=<file> keeps the runtime's whole log of the run, failed or not.
 */
export function keepRuntimeLog(rt: () => FaultRuntime | undefined): void {
  onTestFinished(() => {
    const file = process.env.FAULT_LOG;
    const log = rt()?.logs();
    if (file && log) writeFileSync(file, log.join('\n'));
  });
  onTestFailed(() => {
    const lines = (rt()?.logs() ?? []).filter((l) => /\s5\d\d\s|"level":"ERROR"|\tERROR\t|timed out/.test(l));
    process.stderr.write(
      `[faults] the runtime's error lines (${lines.length}, the last 40):\n${lines
        .slice(-40)
        .map((l) => l.slice(0, 400))
        .join('\n')}\n`,
    );
  });
}
