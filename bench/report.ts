// Writes the benchmark report: bench/results/latest.md and latest.json, each section's charts as SVG next to
// them, and the README's "Benchmark" section between its marker comments.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSection, Figure, machine } from './section.ts';

export interface Report {
  date: string;
  command: string;
  machine: ReturnType<typeof machine>;
  repeats: number;
  /** parts repeated another number of times (BENCH_REPEATS_<ID>), by id */
  partRepeats?: Record<string, number>;
  quick: boolean;
  /** how long the whole run took */
  seconds: number;
  /** how busy the machine was (load averages at the start and end) */
  load: { start: number[]; end: number[] };
  sections: BenchSection[];
  /** sections that threw: id and message */
  failed: { id: string; error: string }[];
}

export const README_START = '<!-- bench:start (written by npm run bench) -->';
export const README_END = '<!-- bench:end -->';

const number = (n: number) =>
  !Number.isFinite(n)
    ? '–'
    : Math.abs(n) >= 100
      ? Math.round(n).toLocaleString('en')
      : Number(n.toPrecision(3)).toString();

/** One figure as a table row: median (min–max), the target and whether it is met, said plainly. */
export function figureRow(f: Figure): string {
  const range = f.min === f.max ? '' : ` (${number(f.min)}–${number(f.max)})`;
  const verdict = !f.target ? '' : f.target.met ? 'met' : '**MISSED**';
  return `| ${f.name} | ${number(f.median)}${range} ${f.unit} | ${f.target?.text ?? ''} | ${verdict} |`;
}

export const chartFile = (section: string, chart: string) => `${section}-${chart}.svg`;

/** The report as Markdown; `chartDir` is where the SVG files are, relative to where the Markdown is read. */
export function renderMarkdown(r: Report, chartDir = '.'): string {
  const m = r.machine;
  const missed = r.sections.flatMap((s) => s.figures.filter((f) => f.target && !f.target.met));
  const lines = [
    `Measured ${r.date} with \`${r.command}\` on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform}).`,
    `Each figure is the median of ${r.repeats} run${r.repeats === 1 ? '' : 's'} with (min–max)` +
      `${Object.entries(r.partRepeats ?? {})
        .map(([id, n]) => `; ${id}: ${n} run${n === 1 ? '' : 's'}`)
        .join('')}.` +
      ' The runtime reaches every system with an API: the four built-in ones and the configured HTTP ones (a system' +
      ' answered by a person is left out: timing it would time them).' +
      ` Load average ${r.load.start.map((l) => l.toFixed(1)).join(' / ')} at the start, ${r.load.end.map((l) => l.toFixed(1)).join(' / ')} at the end.`,
    r.quick
      ? '\n**Quick run** (small sizes, one repeat, as CI runs it): the figures only show the benchmark works.'
      : '',
    missed.length
      ? `\n**Targets MISSED: ${missed.length}** (${missed.map((f) => f.name).join('; ')}).`
      : '\nEvery target with a figure here is met.',
  ];
  for (const s of r.sections) {
    lines.push('', `### ${s.title}`, '', s.method, '');
    if (s.figures.length)
      lines.push(
        '| Figure | Median (min–max) | Target | |',
        '|---|---|---|---|',
        ...s.figures.map(figureRow),
      );
    for (const c of s.charts ?? []) lines.push('', `![${c.title}](${chartDir}/${chartFile(s.id, c.name)})`);
    if (s.notes) lines.push('', s.notes);
  }
  for (const f of r.failed) lines.push('', `### ${f.id}: FAILED`, '', '```', f.error, '```');
  return `${lines.filter((l, i) => l !== '' || i > 0).join('\n')}\n`;
}

/** Writes latest.md, latest.json and the charts into `dir`. */
export function writeReport(r: Report, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const s of r.sections)
    for (const c of s.charts ?? []) writeFileSync(join(dir, chartFile(s.id, c.name)), c.svg);
  writeFileSync(join(dir, 'latest.md'), `# Benchmark\n\n${renderMarkdown(r)}`);
  const json = {
    ...r,
    sections: Object.fromEntries(
      r.sections.map(({ charts, ...s }) => [
        s.id,
        { ...s, charts: (charts ?? []).map((c) => chartFile(s.id, c.name)) },
      ]),
    ),
  };
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
}

/** The README with its Benchmark section between the markers replaced by `body` (appended when absent). */
export function withBenchmarkSection(readme: string, body: string): string {
  const block = `${README_START}\n${body.trim()}\n${README_END}`;
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start >= 0 && end > start)
    return readme.slice(0, start) + block + readme.slice(end + README_END.length);
  return `${readme.trimEnd()}\n\n## Benchmark\n\n${block}\n`;
}

/** Puts the report into README.md, its charts read from `chartDir` (relative to the README). */
export function updateReadme(readmePath: string, r: Report, chartDir: string): void {
  const intro = `Made by \`${r.command}\` (${Math.ceil(r.seconds / 60)} min); \`npm run bench -- --quick\` is the CI smoke run. Full report: [bench/results/latest.md](bench/results/latest.md).`;
  const body = `${intro}\n\n${renderMarkdown(r, chartDir).replace(/^### /gm, '#### ')}`;
  writeFileSync(readmePath, withBenchmarkSection(readFileSync(readmePath, 'utf8'), body));
}
