// The parts of the benchmark that still print rather than return figures (measurements 4 and 5, to become
// sections): run as sections without figures, so `--only` can pick them and the report names them.
import { benchExportStream } from './export-stream.ts';
import { benchPackageStream, printPackageStream } from './package-stream.ts';
import { benchRetentionSweep } from './retention-sweep.ts';
import type { BenchOptions, BenchSection } from './section.ts';

const printed = (id: string, title: string, method: string): BenchSection => ({
  id,
  title,
  method: `${method} Printed to the console; not yet in this report.`,
  figures: [],
});

export async function packageStream(_: BenchOptions): Promise<BenchSection> {
  const records = Number(process.env.BENCH_PACKAGE_RECORDS ?? 1_000_000);
  printPackageStream(await benchPackageStream(records));
  return printed('package-stream', 'Portability package streaming', `A package of ${records} call records.`);
}

export async function exportStream(_: BenchOptions): Promise<BenchSection> {
  await benchExportStream();
  return printed('export-stream', 'Export streaming', 'A billing export of a million call records.');
}

export async function retentionSweep(_: BenchOptions): Promise<BenchSection> {
  await benchRetentionSweep();
  return printed(
    'retention-sweep',
    'Retention sweep scale',
    'The sweep over 10,000 and 100,000 generated subjects.',
  );
}
