// `npm run bench`: the benchmark report. Runs each section (bench/section.ts) with its repeats and writes
// bench/results/latest.{md,json} with SVG charts, and the README's Benchmark section; figures are printed and
// recorded, never asserted in tests. Rate limits are raised through configuration, as DESIGN.md intends.
//   npm run bench                       every section, 3 repeats (BENCH_REPEATS), into bench/results/
//   npm run bench -- --quick            small sizes, 1 repeat, into bench/results/quick/ (git-ignored; CI)
//   npm run bench -- --only fan-out,enumeration
//   BENCH_REPEATS_THROUGHPUT=1 npm run bench  one part's repeats (its id in capitals, - as _)
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchColdStart } from './cold-start.ts';
import { benchCost } from './cost.ts';
import { enumeration } from './enumeration.ts';
import { benchExportScale } from './export-stream.ts';
import { fanOut } from './fan-out.ts';
import { type Report, renderMarkdown, updateReadme, writeReport } from './report.ts';
import { benchRetentionScale } from './retention-sweep.ts';
import { type BenchOptions, type BenchSection, machine } from './section.ts';
import { throughput } from './throughput.ts';

type Part = { id: string; run: (o: BenchOptions) => Promise<BenchSection>; quick: boolean };

/** In report order; `quick: false` parts are left out of a quick run unless named with --only. */
export const PARTS: Part[] = [
  { id: 'fan-out', run: fanOut, quick: true },
  { id: 'throughput', run: throughput, quick: true },
  { id: 'cost', run: benchCost, quick: true },
  { id: 'retention-sweep', run: benchRetentionScale, quick: true },
  { id: 'export-stream', run: benchExportScale, quick: true },
  { id: 'cold-start', run: benchColdStart, quick: true },
  { id: 'enumeration', run: enumeration, quick: true },
];

export function parseArgs(argv: string[]) {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--only');
  const only = at >= 0 ? (argv[at + 1] ?? '').split(',').filter(Boolean) : undefined;
  const unknown = only?.filter((id) => !PARTS.some((p) => p.id === id)) ?? [];
  if (unknown.length)
    throw new Error(`--only: no such part ${unknown.join(', ')} (${PARTS.map((p) => p.id).join(', ')})`);
  const repeats = quick ? 1 : Number(process.env.BENCH_REPEATS ?? 3);
  return { quick, only, repeats };
}

/** A part's repeats: BENCH_REPEATS_<ID> (e.g. BENCH_REPEATS_THROUGHPUT=1) for one part, else the run's. */
export function repeatsOf(id: string, repeats: number, env = process.env): number {
  const own = env[`BENCH_REPEATS_${id.toUpperCase().replace(/-/g, '_')}`];
  return own ? Math.max(1, Number(own)) : repeats;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = fileURLToPath(new URL(args.quick ? 'results/quick/' : 'results/', import.meta.url));
  const parts = PARTS.filter((p) => (args.only ? args.only.includes(p.id) : !args.quick || p.quick));
  const t0 = Date.now();
  const load = { start: os.loadavg(), end: [] as number[] };
  const sections: BenchSection[] = [];
  const failed: Report['failed'] = [];
  for (const part of parts) {
    console.log(`[bench] ${part.id} …`);
    try {
      sections.push(await part.run({ quick: args.quick, repeats: repeatsOf(part.id, args.repeats) }));
    } catch (error) {
      console.error(`[bench] ${part.id} failed:`, error);
      failed.push({ id: part.id, error: (error as Error).stack ?? String(error) });
    }
  }
  load.end = os.loadavg();
  const report: Report = {
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: machine(),
    repeats: args.repeats,
    partRepeats: Object.fromEntries(
      parts.map((p) => [p.id, repeatsOf(p.id, args.repeats)]).filter(([, n]) => n !== args.repeats),
    ),
    quick: args.quick,
    seconds: Math.round((Date.now() - t0) / 1000),
    load,
    sections,
    failed,
  };
  writeReport(report, dir);
  // Only a full run of every part speaks for the project in the README.
  if (!args.quick && !args.only) updateReadme(`${root}README.md`, report, 'bench/results');
  console.log(renderMarkdown(report));
  console.log(`[bench] written to ${dir}`);
  if (failed.length) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
