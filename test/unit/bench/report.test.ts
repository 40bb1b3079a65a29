// The benchmark report says plainly which targets are missed, names the machine and the command, and replaces
// only the README's benchmark block (issue 12).
import { describe, expect, it } from 'vitest';
import {
  figureRow,
  README_END,
  README_START,
  type Report,
  renderMarkdown,
  withBenchmarkSection,
} from '../../../bench/report.ts';
import { figure } from '../../../bench/section.ts';

const report = (met: boolean): Report => ({
  date: '2026-12-01T17:00:00.000Z',
  command: 'npm run bench',
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 4, node: 'v22.0.0', platform: 'Linux 6' },
  repeats: 3,
  quick: false,
  seconds: 300,
  load: { start: [1, 1, 1], end: [2, 2, 2] },
  sections: [
    {
      id: 'throughput',
      title: '2. Throughput and latency',
      method: 'Mixed requests.',
      figures: [
        figure('completed requests per second', '/s', met ? [30, 31, 29] : [3, 4, 5], (m) => ({
          text: '≥ 25/s',
          met: m >= 25,
        })),
      ],
      charts: [{ name: 'stages', title: 'Latency per stage', svg: '<svg/>' }],
      notes: 'DynamoDB Local shares the cores.',
    },
  ],
  failed: [],
});

describe('renderMarkdown', () => {
  it('says MISSED for a missed target, with the median and the range (issue 12)', () => {
    // Prepare
    const r = report(false);
    // Act
    const md = renderMarkdown(r);
    // Assess
    expect(md).toContain('| completed requests per second | 4 (3–5) /s | ≥ 25/s | **MISSED** |');
    expect(md).toContain('Targets MISSED: 1');
    expect(md).toContain('![Latency per stage](./throughput-stages.svg)');
    expect(md).toContain('DynamoDB Local shares the cores.');
  });

  it('says met, and names the machine and the command (issue 12)', () => {
    // Prepare
    const r = report(true);
    // Act
    const md = renderMarkdown(r, 'bench/results');
    // Assess
    expect(md).not.toContain('MISSED');
    expect(md).toContain('| 30 (29–31) /s | ≥ 25/s | met |');
    expect(md).toContain('2 × Test CPU, 4 GiB, Node v22.0.0');
    expect(md).toContain('`npm run bench`');
    expect(md).toContain('(bench/results/throughput-stages.svg)');
  });

  it('reports a section that failed (issue 12)', () => {
    // Prepare
    const r = { ...report(true), failed: [{ id: 'fan-out', error: 'boom' }] };
    // Act
    const md = renderMarkdown(r);
    // Assess
    expect(md).toContain('### fan-out: FAILED');
  });
});

describe('figureRow', () => {
  it('leaves the verdict empty for a figure without target (issue 12)', () => {
    // Prepare
    const f = figure('p50', 'ms', [12.345]);
    // Act
    const row = figureRow(f);
    // Assess
    expect(row).toBe('| p50 | 12.3 ms |  |  |');
  });
});

describe('withBenchmarkSection', () => {
  it('replaces only what is between the markers (issue 12)', () => {
    // Prepare
    const readme = `# Title\n\n## Benchmark\n\n${README_START}\nold\n${README_END}\n\n## After\n`;
    // Act
    const out = withBenchmarkSection(readme, 'new figures');
    // Assess
    expect(out).toBe(`# Title\n\n## Benchmark\n\n${README_START}\nnew figures\n${README_END}\n\n## After\n`);
  });

  it('appends a Benchmark section when the README has none (issue 12)', () => {
    // Prepare
    const readme = '# Title\n';
    // Act
    const out = withBenchmarkSection(readme, 'figures');
    // Assess
    expect(out).toBe(`# Title\n\n## Benchmark\n\n${README_START}\nfigures\n${README_END}\n`);
  });
});
