// A benchmark figure is the median of its repeats with their min and max, and its target is judged on the median
// (issue 12).
import { describe, expect, it } from 'vitest';
import { figure } from '../../../bench/section.ts';

describe('figure', () => {
  it('gives the median, min and max of the repeats (issue 12)', () => {
    // Prepare
    const repeats = [30, 10, 20];
    // Act
    const f = figure('completed per second', '/s', repeats);
    // Assess
    expect(f).toMatchObject({ median: 20, min: 10, max: 30 });
    expect(f.target).toBeUndefined();
  });

  it('judges the target on the median, not on the best run (issue 12)', () => {
    // Prepare
    const repeats = [24, 26, 20, 30];
    // Act
    const f = figure('completed per second', '/s', repeats, (m) => ({ text: '≥ 25/s', met: m >= 25 }));
    // Assess
    expect(f.median).toBe(25);
    expect(f.target).toEqual({ text: '≥ 25/s', met: true });
    expect(figure('x', '/s', [20, 30, 24], (m) => ({ text: '≥ 25/s', met: m >= 25 })).target?.met).toBe(
      false,
    );
  });
});
