// The retention sweep (P11), daily: the steps' shared shapes and its first step. Every system's subject list is
// read shard by shard and merged (each list is sorted, so a k-way merge needs one page per system in memory) into
// batches of customer numbers in S3; the Distributed Map (locally local/timers.ts) hands each batch to
// retention-batch.ts. Step payloads carry the run id, shard numbers, keys and counts; never a customer number.
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { RETENTION } from './config.ts';
import type { Connector } from './connector.ts';
import type { AuditLog, SweepFiles } from './ports.ts';

/** A run id: a Step Functions execution name (letters, digits, - and _), or one made locally. */
export const RunId = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'A run id');

/** What every step receives besides its own part. */
export const SweepInput = z.object({ runId: RunId, dryRun: z.boolean().default(false) });
export type SweepInput = z.infer<typeof SweepInput>;

/** What staff send to start a run (POST /admin/sweeps/retention): a dry run or not, said explicitly. */
export const SweepRequest = z.strictObject({ dryRun: z.boolean() });

export interface SweepDeps {
  connectors: readonly Connector[];
  files: SweepFiles;
  audit: AuditLog;
  now: () => Date;
}

/** Where a run's files lie under the export bucket; its lifecycle rule removes them after a week. */
export const runPrefix = (runId: string) => `retention/${runId}/`;
export const batchPrefix = (runId: string) => `${runPrefix(runId)}batches/`;
export const resultPrefix = (runId: string) => `${runPrefix(runId)}results/`;
export const purgePrefix = (runId: string) => `${runPrefix(runId)}purged/`;
const batchName = (shard: number, seq: number) =>
  `${String(shard).padStart(2, '0')}-${String(seq).padStart(5, '0')}.json`;
export const batchKey = (runId: string, shard: number, seq: number) =>
  `${batchPrefix(runId)}${batchName(shard, seq)}`;
/** The result file of the batch at `key`: same name, under results/. */
export const resultKeyOf = (runId: string, key: string) =>
  `${resultPrefix(runId)}${key.slice(key.lastIndexOf('/') + 1)}`;

/** The audit chain of one run: its start, its purge and its summary, in counts. */
export const runChain = (runId: string) => `retention-run_${runId}`;

/** A run id for a run started without the schedule: `local` (the local timer, the benchmark), `staff` (the API). */
export const newRunId = (now: Date, origin: 'local' | 'staff' = 'local') =>
  `${origin}-${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(4).toString('hex')}`;

/** The shards of the subject lists, as the state machine maps over them. */
export const SHARDS = Array.from({ length: RETENTION.shards }, (_, i) => i);

/** One batch file: the customer numbers to look at, nothing else. */
export interface BatchFile {
  customerNumbers: string[];
}

/** Reads pages of an async iterable one value at a time. */
async function* values(pages: AsyncIterable<string[]>): AsyncGenerator<string> {
  for await (const page of pages) yield* page;
}

/** Merges sorted streams into one sorted stream without repeats, holding one value of each at a time. */
export async function* mergeSorted(streams: AsyncIterable<string>[]): AsyncGenerator<string> {
  const iterators = streams.map((s) => s[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((it) => it.next()));
  let last: string | undefined;
  for (;;) {
    let min: number | undefined;
    heads.forEach((h, i) => {
      if (!h.done && (min === undefined || h.value < (heads[min] as IteratorYieldResult<string>).value))
        min = i;
    });
    if (min === undefined) return;
    const value = (heads[min] as IteratorYieldResult<string>).value;
    heads[min] = await (iterators[min] as AsyncIterator<string>).next();
    if (value !== last) yield value;
    last = value;
  }
}

/** Lists one shard of every system's subjects into batch files; answers how many batches and subjects. */
export async function listShard(
  deps: SweepDeps,
  input: SweepInput & { shard: number },
  batchSize: number = RETENTION.batchSize,
): Promise<{ shard: number; batches: number; subjects: number }> {
  const merged = mergeSorted(deps.connectors.map((c) => values(c.subjects(input.shard))));
  let batch: string[] = [];
  let batches = 0;
  let subjects = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const file: BatchFile = { customerNumbers: batch };
    await deps.files.put(batchKey(input.runId, input.shard, batches), JSON.stringify(file));
    batches += 1;
    batch = [];
  };
  for await (const customerNumber of merged) {
    batch.push(customerNumber);
    subjects += 1;
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  // The first shard opens the run's chain; the run's other entries follow it.
  if (input.shard === 0) {
    await deps.audit.append(runChain(input.runId), {
      actor: 'system',
      action: 'retention.sweep.started',
      details: { dryRun: input.dryRun, shards: RETENTION.shards },
    });
  }
  return { shard: input.shard, batches, subjects };
}
