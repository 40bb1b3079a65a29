// Measurement 5, export streaming (P7, P3): one subject with a very large billing partition of call records.
// The portability package in its two steps, each in a child process of its own (bench/isolate.ts) so its peak
// resident memory is the step's alone: the billing connector's export (export-calls.ts) and buildPackage zipping a
// calls.json of that many records into storage (package-stream.ts), at a tenth of the size and at full size, so
// the chart shows whether memory grows with the subject. Then an erasure of that subject through the billing
// connector on DynamoDB Local, the records seeded there first (not timed).
import { performance } from 'node:perf_hooks';
import { allConnectors } from '../functions/connectors/wiring.ts';
import { TABLE_NAMES } from '../local/tables.ts';
import { datedCall } from '../test/fixtures/calls.ts';
import { startLocalServices } from '../test/helpers/services.ts';
import type { ExportCallsFigures } from './export-calls.ts';
import { isolated } from './isolate.ts';
import type { PackageStreamFigures } from './package-stream.ts';
import { rate } from './scale.ts';
import { type BenchOptions, type BenchSection, figure } from './section.ts';
import { seedItems } from './seed.ts';
import { barChart } from './svg.ts';

const MiB = 2 ** 20;
const CUSTOMER = { customerNumber: 'C-900001', phone: '+32470900001', email: 'bench.calls@example.org' };
const PK = `CUST#${CUSTOMER.customerNumber}`;

function* partition(records: number) {
  const table = TABLE_NAMES.system('billing');
  const { customerNumber, email } = CUSTOMER;
  yield { table, item: { pk: PK, sk: 'PROFILE', customerNumber, category: 'identification', email } };
  // calls from 2019 on, a minute apart: past their traffic-data period, so all erased
  for (let i = 0; i < records; i++) yield { table, item: datedCall(PK, CUSTOMER, i) };
}

interface EraseRun {
  seconds: number;
  erased: number;
}

/** The child's step: the billing connector erases the subject; answers the time and the records it erased. */
export async function eraseInChild(): Promise<EraseRun> {
  const billing = allConnectors().find((c) => c.system === 'billing');
  if (!billing) throw new Error('No billing connector');
  const t0 = performance.now();
  const outcomes = await billing.erase(
    { email: CUSTOMER.email, subjectRef: 's_benchcalls' },
    { requestId: 'r_BenchEraseCalls0001', now: new Date() },
  );
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, erased: outcomes.reduce((n, o) => n + (o.kind === 'erased' ? o.records : 0), 0) };
}

async function eraseOnce(records: number) {
  const services = await startLocalServices();
  try {
    await seedItems(services.db.doc, partition(records));
    const run = await isolated<EraseRun>('./export-stream.ts', 'eraseInChild', {});
    // every call and the profile, counted from what was actually deleted
    if (run.result.erased !== records + 1)
      throw new Error(`erased ${run.result.erased} of ${records + 1} records`);
    return { ...run.result, peakRss: run.peakRss, cpuSeconds: run.cpuSeconds };
  } finally {
    await services.stop();
  }
}

type Step = { seconds: number; peakRss: number; cpuSeconds: number };

/** What the figures say about the targets, and what changed. */
function notesOf(packageSeconds: number[], packageCpu: number[], records: number, erasure: string) {
  const wall = figure(
    '',
    '',
    packageSeconds.map((s) => rate(records, s)),
  ).median;
  const cpu = figure(
    '',
    '',
    packageCpu.map((s) => rate(records, s)),
  ).median;
  return [
    erasure,
    wall >= 20_000
      ? `- The package runs at ${Math.round(wall).toLocaleString('en')} records/s: target met.`
      : `- **Missed: ${Math.round(wall).toLocaleString('en')} records/s against ≥ 20,000.** The export step takes ` +
        `nearly all of it (the zip is ten times faster), and it is CPU-bound: ${Math.round(cpu).toLocaleString('en')} ` +
        `records per CPU second, so the wall time is the share of the two cores it got (see the load above). On a ` +
        `free core (a Lambda at 1,769 MB has one full vCPU) it would ${cpu >= 20_000 ? '' : '**not** '}meet the target.`,
    '- Changed for this measurement: the export worked out the key order of every record with `localeCompare`; it now ' +
      'does so once per record type (functions/connectors/export-files.ts), a quarter less CPU per call exported ' +
      '(100,000 calls: 1.9–2.0 → 1.5–1.55 CPU s). The erasure held the whole partition and handed every call to the ' +
      'billing rule as `related`; it now reads calls page by page after the rest and deletes a page at a time ' +
      '(`bulk` in functions/connectors/store/erase.ts), so its memory stays that of a page. Its conditional deletes ' +
      'went in waves of 25, each waiting for the slowest; now 25 stay in flight (functions/aws/system-store.ts): ' +
      '266 → 478 deletes/s on DynamoDB Local at a load of 27. TransactWriteItems of 100 conditional deletes did 701/s, ' +
      'but costs two write units per item on AWS, so it was not taken.',
  ].join('\n');
}

export async function benchExportScale(o: BenchOptions): Promise<BenchSection> {
  const records = Number(process.env.BENCH_CALLS ?? (o.quick ? 10_000 : 1_000_000));
  const eraseRecords = Number(process.env.BENCH_ERASE_CALLS ?? records);
  const sizes = [Math.round(records / 10), records];
  const runs = new Map<number, { export: Step[]; zip: Step[] }>(
    sizes.map((n) => [n, { export: [], zip: [] }]),
  );
  const erase: Awaited<ReturnType<typeof eraseOnce>>[] = [];
  for (let r = 0; r < o.repeats; r++) {
    for (const n of sizes) {
      const ex = await isolated<ExportCallsFigures>('./export-calls.ts', 'exportCalls', n);
      const zip = await isolated<PackageStreamFigures>('./package-stream.ts', 'benchPackageStream', n);
      runs
        .get(n)
        ?.export.push({ seconds: ex.result.seconds, peakRss: ex.peakRss, cpuSeconds: ex.cpuSeconds });
      runs
        .get(n)
        ?.zip.push({ seconds: zip.result.ms / 1000, peakRss: zip.peakRss, cpuSeconds: zip.cpuSeconds });
      console.log(
        `[bench] ${n} records: export ${ex.result.seconds.toFixed(1)} s (${(ex.peakRss / MiB).toFixed(0)} MiB), ` +
          `zip ${(zip.result.ms / 1000).toFixed(1)} s (${(zip.peakRss / MiB).toFixed(0)} MiB)`,
      );
    }
    const er = await eraseOnce(eraseRecords);
    console.log(
      `[bench] erasure of ${eraseRecords} calls: ${er.seconds.toFixed(1)} s (${(er.peakRss / MiB).toFixed(0)} MiB)`,
    );
    erase.push(er);
  }
  const full = runs.get(records) as { export: Step[]; zip: Step[] };
  const n = records.toLocaleString('en');
  const rssTarget = (m: number) => ({ text: '≤ 300 MB', met: m * MiB <= 300e6 });
  const mib = (steps: Step[]) => steps.map((s) => s.peakRss / MiB);
  const rates = (steps: Step[], count: number) => steps.map((s) => rate(count, s.seconds));
  const packageSeconds = full.export.map((e, i) => e.seconds + (full.zip[i]?.seconds ?? Number.NaN));
  const packageCpu = full.export.map((e, i) => e.cpuSeconds + (full.zip[i]?.cpuSeconds ?? Number.NaN));
  const eraseRate = figure(
    'erasure: records/s',
    '/s',
    erase.map((r) => rate(eraseRecords + 1, r.seconds)),
  );
  const eraseRss = figure(
    'erasure: peak RSS of the erasing process',
    'MiB',
    erase.map((r) => r.peakRss / MiB),
    (m) => ({
      text: '≤ 300 MB (as the export)',
      met: m * MiB <= 300e6,
    }),
  );
  const med = (values: number[]) => figure('', '', values).median;
  return {
    id: 'export-stream',
    title: '5. Export streaming and the erasure of that subject (P7, P3)',
    method:
      `One subject with ${n} call records. The portability package in its two steps, each in a child Node process ` +
      `of its own: the billing connector's export from an in-memory store that generates each page of 1,000 on demand ` +
      `(files encoded and hashed, kept nowhere; bench/export-calls.ts), then buildPackage zipping a calls.json of ` +
      `${n} records into storage (bench/package-stream.ts); both also at a tenth of the size. Then the erasure of a ` +
      `subject with ${eraseRecords.toLocaleString('en')} call records through the billing connector on DynamoDB Local ` +
      `(seeding not timed), in a child process. Peak RSS is each process's high water mark (VmHWM), Node and tsx ` +
      `included. ${o.repeats} repeat(s).`,
    figures: [
      figure(
        `portability package of ${n} records (export + zip): records/s`,
        '/s',
        packageSeconds.map((s) => rate(records, s)),
        (m) => ({
          text: '≥ 20,000/s',
          met: m >= 20_000,
        }),
      ),
      figure('portability package: time', 's', packageSeconds),
      figure(
        'portability package: records per CPU second (export + zip; what one free core would do)',
        '/s',
        packageCpu.map((c) => rate(records, c)),
      ),
      figure('export: records/s', '/s', rates(full.export, records)),
      figure("export: peak RSS of the step's process", 'MiB', mib(full.export), rssTarget),
      figure('zip: records/s', '/s', rates(full.zip, records)),
      figure("zip: peak RSS of the step's process", 'MiB', mib(full.zip), rssTarget),
      figure(
        'erasure: time',
        's',
        erase.map((r) => r.seconds),
      ),
      eraseRate,
      figure(
        "erasure: records per CPU second of the erasing process (DynamoDB Local's not counted)",
        '/s',
        erase.map((r) => rate(eraseRecords + 1, r.cpuSeconds)),
      ),
      eraseRss,
    ],
    notes: notesOf(
      packageSeconds,
      packageCpu,
      records,
      `- Erasure: ${Math.round(eraseRate.median).toLocaleString('en')} records/s, while the erasing process needs ` +
        `one CPU second per ${Math.round(
          figure(
            '',
            '',
            erase.map((r) => rate(eraseRecords + 1, r.cpuSeconds)),
          ).median,
        ).toLocaleString('en')} ` +
        `records: the time is DynamoDB Local's, one conditional DeleteItem per record so that the counts say what was ` +
        `removed. Its peak RSS barely grows with the subject (measured on this machine: 251 MiB at 10,000 calls, ` +
        `270–291 at 50,000, 280–287 at 100,000; before, holding the partition, 335 MiB at 50,000 and growing with ` +
        `it); most of it is Node, tsx, the SDK and the connectors, and V8's heap slack under a long run. ` +
        `${eraseRss.target?.met ? '' : '**The ≤ 300 MB line (the export’s target, taken for the erasure) is missed by that margin.**'}`,
    ),
    charts: [
      {
        name: 'rate',
        title: 'Export, zip and erasure: records/s and peak RSS per size',
        svg: barChart({
          title: 'Thousand records/s and peak RSS (MiB) per step and size',
          labels: [
            ...sizes.flatMap((s) => [`export ${s.toLocaleString('en')}`, `zip ${s.toLocaleString('en')}`]),
            `erasure ${eraseRecords.toLocaleString('en')}`,
          ],
          series: [
            {
              name: 'thousand records/s',
              values: [
                ...sizes.flatMap((s) => {
                  const r = runs.get(s) as { export: Step[]; zip: Step[] };
                  return [med(rates(r.export, s)) / 1000, med(rates(r.zip, s)) / 1000];
                }),
                eraseRate.median / 1000,
              ],
            },
            {
              name: 'peak RSS, MiB',
              values: [
                ...sizes.flatMap((s) => {
                  const r = runs.get(s) as { export: Step[]; zip: Step[] };
                  return [med(mib(r.export)), med(mib(r.zip))];
                }),
                eraseRss.median,
              ],
            },
          ],
          unit: 'k records/s · MiB',
          line: { value: 300e6 / MiB, label: 'RSS target 300 MB' },
        }),
      },
    ],
    data: { records, eraseRecords, runs: Object.fromEntries(runs), erase },
  };
}
