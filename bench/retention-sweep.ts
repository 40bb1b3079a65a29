// Benchmark: the retention sweep (P11) over generated customer bases on DynamoDB Local, s3rver and the local SES,
// run as the local runtime runs it (local/timers.ts: the same handlers the Distributed Map invokes, one batch at a
// time). A third of the subjects are inactive and erased, a tenth are billing customers whose invoices are kept.
// Prints the time, subjects per second and the peak resident memory of the sweep; asserts nothing.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { customerKey, subjectListEntry } from '../functions/connectors/records.ts';
import { now } from '../functions/core/clock.ts';
import { RETENTION_SWEEP } from '../functions/registry-retention.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local/asl.ts';
import { createInvoker } from '../local/lambda.ts';
import { TABLE_NAMES } from '../local/tables.ts';
import { runRetentionSweep } from '../local/timers.ts';
import { startLocalServices } from '../test/helpers/services.ts';

const DAY = 86_400_000;
type Item = Record<string, unknown>;

/** One generated subject's records per system: CRM for everyone, billing for every tenth. */
function subject(i: number, at: Date): { crm: Item[]; billing: Item[] } {
  const number = `C-${String(i).padStart(6, '0')}`;
  const pk = customerKey(number);
  const email = `bench.${i}@example.org`;
  // A third inactive for four years, the others seen within the last year.
  const lastSeen = new Date(at.getTime() - (i % 3 === 0 ? 4 * 365 : i % 365) * DAY).toISOString();
  const base = { pk, customerNumber: number };
  const crm = [
    {
      ...base,
      sk: 'PROFILE',
      category: 'identification',
      email,
      firstName: 'Bench',
      lastName: `Subject ${i}`,
    },
    { ...base, sk: 'ACCOUNT', category: 'contract', email, username: email, lastLoginAt: lastSeen },
    subjectListEntry(number),
  ];
  const billing =
    i % 10 === 0
      ? [
          { ...base, sk: 'PROFILE', category: 'identification', email, createdAt: lastSeen },
          {
            ...base,
            sk: `INVOICE#${lastSeen.slice(0, 7)}-${i}`,
            category: 'contract',
            invoiceDate: lastSeen.slice(0, 10),
            name: `Bench Subject ${i}`,
            email,
            total: 30.25,
            status: 'paid',
          },
          subjectListEntry(number),
        ]
      : [];
  return { crm, billing };
}

/** Writes the base in batches of 25, a few at a time, retrying what DynamoDB leaves unprocessed. */
async function seed(doc: DynamoDBDocumentClient, subjects: number, at: Date): Promise<void> {
  const queues: Record<string, Item[]> = { crm: [], billing: [] };
  const flush = async (system: string, force = false) => {
    const table = TABLE_NAMES.system(system);
    const pending: Promise<void>[] = [];
    while (queues[system]?.length && (force || (queues[system]?.length ?? 0) >= 200)) {
      let requests = (queues[system] ?? []).splice(0, 25).map((Item) => ({ PutRequest: { Item } }));
      pending.push(
        (async () => {
          for (let round = 0; requests.length > 0; round++) {
            if (round > 0) await new Promise((done) => setTimeout(done, 50 * 2 ** Math.min(round, 6)));
            const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
            requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
          }
        })(),
      );
    }
    await Promise.all(pending);
  };
  for (let i = 0; i < subjects; i++) {
    const s = subject(i, at);
    queues.crm?.push(...s.crm);
    queues.billing?.push(...s.billing);
    if (i % 100 === 99) await Promise.all([flush('crm'), flush('billing')]);
  }
  await Promise.all([flush('crm', true), flush('billing', true)]);
}

/** Seeds `subjects` generated subjects on fresh services, sweeps them and prints the figures. */
async function benchOne(subjects: number): Promise<void> {
  const services = await startLocalServices();
  try {
    const at = now();
    const t0 = performance.now();
    await seed(services.db.doc, subjects, at);
    const seeded = (performance.now() - t0) / 1000;
    const invoker = createInvoker({
      root: process.cwd(),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
      functions: RETENTION_SWEEP.tasks.map((t) => ({
        name: t.id,
        entry: t.entry,
        timeoutSeconds: 900,
        memoryMb: 512,
      })),
    });
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 100);
    const t1 = performance.now();
    const summary = (await runRetentionSweep((entry, event) => invoker.invoke(entry, event), { now })) as {
      subjects: number;
      erased: number;
      failed: number;
    };
    const seconds = (performance.now() - t1) / 1000;
    clearInterval(sampler);
    console.log(`Retention sweep over ${subjects.toLocaleString('en')} generated subjects (DynamoDB Local):`);
    console.log(
      `  ${seconds.toFixed(1)} s, ${Math.round(summary.subjects / seconds).toLocaleString('en')} subjects/s; ` +
        `${summary.erased.toLocaleString('en')} erased, ${summary.failed} failed (seeded in ${seeded.toFixed(0)} s)`,
    );
    console.log(`  peak resident memory of this process during the sweep ${(peak / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await services.stop();
  }
}

/** The sweep at each size of BENCH_RETENTION_SUBJECTS (default 10,000 and 100,000; 0 skips). */
export async function benchRetentionSweep(): Promise<void> {
  const sizes = (process.env.BENCH_RETENTION_SUBJECTS ?? '10000,100000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  for (const n of sizes) await benchOne(n);
}

// Run on its own: node --import ./local/polyfills.mjs --import tsx bench/retention-sweep.ts
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchRetentionSweep();
