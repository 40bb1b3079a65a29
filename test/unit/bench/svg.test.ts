// The report's charts are standalone SVG documents with one bar per value, a legend and an optional target line
// (issue 12).
import { describe, expect, it } from 'vitest';
import { barChart, niceMax } from '../../../bench/svg.ts';

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe('barChart', () => {
  it('draws one bar per finite value, in a well-formed SVG document (issue 12)', () => {
    // Prepare
    const options = {
      title: 'Latency <per> stage',
      labels: ['intake', 'verify', 'tell'],
      series: [
        { name: 'p50', values: [10, 20, 30] },
        { name: 'p95', values: [15, Number.NaN, 45] },
      ],
      unit: 'ms',
    };
    // Act
    const svg = barChart(options);
    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(count(svg, /class="bar"/g)).toBe(5);
    expect(svg).toContain('Latency &lt;per&gt; stage');
    expect(svg).not.toContain('<per>');
    expect(svg).toContain('>p95</text>');
    expect(count(svg, /class="target"/g)).toBe(0);
  });

  it('draws the target line when given, and scales the axis to hold it (issue 12)', () => {
    // Prepare
    const options = { title: 't', labels: ['a'], series: [{ name: 's', values: [1] }], unit: 'ms' };
    // Act
    const svg = barChart({ ...options, line: { value: 2000, label: 'target' } });
    // Assess
    expect(count(svg, /class="target"/g)).toBe(1);
    expect(svg).toContain('>2000</text>');
  });
});

describe('niceMax', () => {
  it('rounds an axis up to 1, 2 or 5 times a power of ten (issue 12)', () => {
    // Prepare
    const maxima = [0, 0.3, 1, 1.2, 3, 7, 420];
    // Act
    const nice = maxima.map(niceMax);
    // Assess
    expect(nice).toEqual([1, 0.5, 1, 2, 5, 10, 500]);
  });
});
