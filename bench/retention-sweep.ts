// Measurement 4, retention sweep scale (P11): the sweep over generated customer bases on DynamoDB Local, s3rver and
// the local SES, run as the local runtime runs it (local/timers.ts: the same handlers the Distributed Map invokes,
// one batch at a time). A third of the subjects are inactive and erased, a tenth are billing customers whose
// invoices are kept. The sweep runs in a child process of its own (bench/isolate.ts), so its peak resident memory
// is the sweep's, not DynamoDB Local's or the seeding's.
import { performance } from 'node:perf_hooks';
import { customerKey, subjectListEntry } from '../functions/connectors/records.ts';
import { now } from '../functions/core/clock.ts';
import { RETENTION } from '../functions/core/config.ts';
import { RETENTION_SWEEP } from '../functions/registry-retention.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local/asl.ts';
import { createInvoker } from '../local/lambda.ts';
import { TABLE_NAMES } from '../local/tables.ts';
import { runRetentionSweep } from '../local/timers.ts';
import { startLocalServices } from '../test/helpers/services.ts';
import { isolated } from './isolate.ts';
import { allowedRatio, pairedRatios, rate } from './scale.ts';
import { type BenchOptions, type BenchSection, figure } from './section.ts';
import { type Item, seedItems } from './seed.ts';
import { barChart } from './svg.ts';

const DAY = 86_400_000;
const MiB = 2 ** 20;

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

function* base(subjects: number, at: Date) {
  const crm = TABLE_NAMES.system('crm');
  const billing = TABLE_NAMES.system('billing');
  for (let i = 0; i < subjects; i++) {
    const s = subject(i, at);
    for (const item of s.crm) yield { table: crm, item };
    for (const item of s.billing) yield { table: billing, item };
  }
}

interface SweepRun {
  subjects: number;
  erased: number;
  failed: number;
  seconds: number;
}

/** The child's step: one whole sweep through the task handlers, timed. */
export async function sweepInChild(): Promise<SweepRun> {
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
  const t0 = performance.now();
  const summary = (await runRetentionSweep((entry, event) => invoker.invoke(entry, event), { now })) as Omit<
    SweepRun,
    'seconds'
  >;
  return {
    subjects: summary.subjects,
    erased: summary.erased,
    failed: summary.failed,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Seeds `subjects` generated subjects on fresh services and sweeps them in a child process. */
async function sweepOnce(subjects: number) {
  const services = await startLocalServices();
  try {
    const t0 = performance.now();
    await seedItems(services.db.doc, base(subjects, now()));
    const seeded = (performance.now() - t0) / 1000;
    const run = await isolated<SweepRun>('./retention-sweep.ts', 'sweepInChild', {});
    if (run.result.subjects !== subjects)
      throw new Error(`the sweep saw ${run.result.subjects} of ${subjects} subjects`);
    return { ...run.result, seeded, peakRss: run.peakRss, rssBefore: run.rssBefore };
  } finally {
    await services.stop();
  }
}

export async function benchRetentionScale(o: BenchOptions): Promise<BenchSection> {
  const sizes = (process.env.BENCH_RETENTION_SUBJECTS ?? (o.quick ? '300,1000' : '10000,100000'))
    .split(',')
    .map(Number)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  const repeats = Number(process.env.BENCH_RETENTION_REPEATS ?? o.repeats);
  const runs = new Map<number, Awaited<ReturnType<typeof sweepOnce>>[]>();
  for (const n of sizes) {
    for (let r = 0; r < repeats; r++) {
      const run = await sweepOnce(n);
      console.log(
        `[bench] retention sweep ${n}: ${run.seconds.toFixed(1)} s, peak ${(run.peakRss / MiB).toFixed(0)} MiB`,
      );
      runs.set(n, [...(runs.get(n) ?? []), run]);
    }
  }
  const of = (n: number) => runs.get(n) ?? [];
  const label = (n: number) => n.toLocaleString('en');
  const figures = sizes.flatMap((n) => [
    figure(
      `${label(n)} subjects: time`,
      's',
      of(n).map((r) => r.seconds),
    ),
    figure(
      `${label(n)} subjects: subjects/s`,
      '/s',
      of(n).map((r) => rate(r.subjects, r.seconds)),
    ),
    figure(
      `${label(n)} subjects: peak RSS of the sweep's process`,
      'MiB',
      of(n).map((r) => r.peakRss / MiB),
      (m) => ({
        text: '≤ 512 MB',
        met: m * MiB <= 512e6,
      }),
    ),
  ]);
  const small = sizes[0] as number;
  const large = sizes.at(-1) as number;
  const allowed = allowedRatio(small, large);
  if (sizes.length > 1)
    figures.push(
      figure(
        `time at ${label(large)} ÷ time at ${label(small)}`,
        '×',
        pairedRatios(
          of(small).map((r) => r.seconds),
          of(large).map((r) => r.seconds),
        ),
        (m) => ({ text: `≤ ${allowed.toFixed(1)}× (linear + 10 %)`, met: m <= allowed }),
      ),
    );
  const median = (n: number, pick: (r: Awaited<ReturnType<typeof sweepOnce>>) => number) =>
    figure('', '', of(n).map(pick)).median;
  return {
    id: 'retention-sweep',
    title: '4. Retention sweep scale (P11)',
    method:
      `${sizes.map(label).join(' and ')} generated subjects on DynamoDB Local (CRM for all, billing for every tenth; a ` +
      `third inactive for four years, so erased), swept by the retention handlers as the local runtime runs them ` +
      `(local/timers.ts, one batch at a time) in a child Node process of its own; peak RSS is that process's ` +
      `high water mark (VmHWM), Node and tsx included. Seeding is not timed. ${repeats} repeat(s) per size, each on fresh services.`,
    figures,
    notes: [
      ...sizes.map(
        (n) =>
          `- ${label(n)} subjects: ${median(n, (r) => r.erased).toLocaleString('en')} erased, ` +
          `${median(n, (r) => r.failed)} failed, seeded in ${median(n, (r) => r.seeded).toFixed(0)} s; the child held ` +
          `${(median(n, (r) => r.rssBefore) / MiB).toFixed(0)} MiB before the sweep began.`,
      ),
      `- Memory: the sweep never holds the base. ListSubjects merges each system's sorted subject list a page at a ` +
        `time into batch files of ${RETENTION.batchSize} customer numbers in S3, and SweepBatch holds one batch ` +
        `(8 subjects in flight); so peak RSS is ${(median(small, (r) => r.peakRss) / MiB).toFixed(0)} MiB at ` +
        `${label(small)} and ${(median(large, (r) => r.peakRss) / MiB).toFixed(0)} MiB at ${label(large)}, mostly ` +
        `Node, tsx and the loaded handlers. An erasure streams its records too (measurement 5).`,
      `- Time: about eight DynamoDB Local requests per subject (one activity read per system holding them; for the ` +
        `inactive third, the erasure's reads and conditional deletes, the ledger and the audit entry), 8 subjects ` +
        `at a time; DynamoDB Local's Java shares the cores with the sweep. The rate is that of the round trips, ` +
        `flat with size, which is what the ratio checks.`,
    ].join('\n'),
    charts: [
      {
        name: 'rate',
        title: 'Retention sweep: subjects/s and peak RSS per size',
        svg: barChart({
          title: 'Retention sweep: subjects/s and peak RSS (MiB) per size',
          labels: sizes.map((n) => `${label(n)} subjects`),
          series: [
            { name: 'subjects/s', values: sizes.map((n) => median(n, (r) => rate(r.subjects, r.seconds))) },
            { name: 'peak RSS, MiB', values: sizes.map((n) => median(n, (r) => r.peakRss / MiB)) },
          ],
          unit: 'subjects/s · MiB',
          line: { value: 512e6 / MiB, label: 'RSS target 512 MB' },
        }),
      },
    ],
    data: Object.fromEntries(runs),
  };
}
