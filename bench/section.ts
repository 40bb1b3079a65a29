// The shape every benchmark part returns to bench/run.ts, which writes bench/results/latest.{md,json} from them.
import os from 'node:os';

export interface BenchOptions {
  /** `npm run bench -- --quick`: small sizes and one repeat, to keep the benchmark working in CI */
  quick: boolean;
  /** how many times each figure is measured; the report gives median, min and max */
  repeats: number;
}

/** A measured figure: the median of its repeats, with their min and max. */
export interface Figure {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  /** the target the issue sets, in words and as a check on the median, when there is one */
  target?: { text: string; met: boolean };
}

export interface BenchSection {
  /** stable id, e.g. `fan-out`; the JSON report is keyed on it */
  id: string;
  title: string;
  /** how it was measured, in a sentence or two */
  method: string;
  figures: Figure[];
  /** extra Markdown (tables, the cause of a missed target and what would reach it) */
  notes?: string;
  /** charts as SVG text, written next to the report as bench/results/<id>-<name>.svg */
  charts?: { name: string; title: string; svg: string }[];
  /** raw measurements for the JSON report */
  data?: unknown;
}

/** Median, min and max of repeated measurements. */
export function figure(
  name: string,
  unit: string,
  values: number[],
  target?: (median: number) => Figure['target'],
): Figure {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    name,
    unit,
    median,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    target: target?.(median),
  };
}

/** The machine the figures come from. */
export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}
