// Switches the embedded runtime's faults (local/faults.ts) by writing <data dir>/faults.json, which the runtime
// reads again on its next call; and counts what it injected from its log.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
