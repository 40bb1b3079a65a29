import { batchKey, newRunId, SHARDS } from '../functions/core/retention-sweep.ts';
import { RETENTION_SWEEP } from '../functions/registry-retention.ts';

// Node's setTimeout holds at most 2^31-1 ms (about 24.8 days) and fires after 1 ms beyond that, while Step
// Functions waits up to a year. Every long wait of the local runtime goes through these helpers.

/** The longest delay one setTimeout can hold. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  cancel(): void;
}

/** Like setTimeout, for any delay: chains timers of at most `capMs` until the deadline is reached. */
export function setLongTimeout(callback: () => void, delayMs: number, capMs = MAX_TIMER_MS): LongTimer {
  const deadline = Date.now() + Math.max(0, delayMs);
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = () => {
    const remaining = deadline - Date.now();
    if (remaining > capMs) {
      handle = setTimeout(arm, capMs);
    } else {
      handle = setTimeout(
        () => {
          if (!cancelled) callback();
        },
        Math.max(0, remaining),
      );
    }
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      if (handle) clearTimeout(handle);
    },
  };
}

// The retention sweep (P11) on the local runtime: AWS runs statemachines/retention-sweep.asl.json with a
// Distributed Map, which the local interpreter does not have, so the same task handlers run here in turn, one
// batch at a time (memory bounded by one batch), once at start-up and then daily.

/** Invokes a handler file as the Lambda runtime would (local/lambda.ts). */
export type InvokeEntry = (entry: string, event: unknown) => Promise<unknown>;

const DAY_MS = 86_400_000;

/** Runs one whole sweep through the handlers of RETENTION_SWEEP; resolves to the summary's counts. */
export async function runRetentionSweep(
  invoke: InvokeEntry,
  options: { dryRun?: boolean; runId?: string; now?: () => Date } = {},
): Promise<unknown> {
  const entry = (id: string) => {
    const task = RETENTION_SWEEP.tasks.find((t) => t.id === id);
    if (!task) throw new Error(`No retention sweep task ${id}`);
    return task.entry;
  };
  const runId = options.runId ?? newRunId((options.now ?? (() => new Date()))());
  const dryRun = options.dryRun ?? false;
  for (const shard of SHARDS) {
    const listed = (await invoke(entry('ListSubjects'), { runId, dryRun, shard })) as { batches: number };
    for (let seq = 0; seq < listed.batches; seq++)
      await invoke(entry('SweepBatch'), { runId, dryRun, key: batchKey(runId, shard, seq) });
  }
  for (let more = true; more; ) {
    more = ((await invoke(entry('PurgeRestricted'), { runId, dryRun })) as { more: boolean }).more;
  }
  return invoke(entry('SummariseSweep'), { runId, dryRun });
}

/**
 * The daily timer of the retention sweep: the first run starts at once and is awaited (so the runtime is ready
 * only once the sweep has run), the next ones follow a day apart, or every LOCAL_RETENTION_SWEEP_EVERY_MS.
 */
export async function startRetentionSweep(
  invoke: InvokeEntry,
  log: (line: string) => void,
  options: { dryRun?: boolean; now?: () => Date; everyMs?: number } = {},
): Promise<() => Promise<void>> {
  let timer: LongTimer | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = runRetentionSweep(invoke, options).catch((error: Error) =>
      log(`[schedule] RetentionSweep failed: ${error.name}`),
    );
    return running;
  };
  const every = options.everyMs ?? (Number(process.env.LOCAL_RETENTION_SWEEP_EVERY_MS) || DAY_MS);
  const tick = () => {
    void run().finally(() => {
      if (!stopped) timer = setLongTimeout(tick, every);
    });
  };
  await run();
  if (!stopped) timer = setLongTimeout(tick, every);
  return async () => {
    stopped = true;
    timer?.cancel();
    await running;
  };
}
