// The benchmark's statistics (issue 12, measurement 7 of P8): the reference values are scipy's formulas, computed
// independently with Python's math.erfc.
import { describe, expect, it } from 'vitest';
import { histogram, mannWhitneyU, median, normalCdf, percentile } from '../../../bench/stats.ts';

describe('percentile', () => {
  it('interpolates between closest ranks as numpy does (issue 12)', () => {
    // Prepare
    const xs = [15, 20, 35, 40, 50];
    // Act
    const [p0, p40, p50, p95, p100] = [0, 40, 50, 95, 100].map((p) => percentile(xs, p));
    // Assess
    expect([p0, p40, p50, p100]).toEqual([15, 29, 35, 50]);
    expect(p95).toBeCloseTo(48, 10);
  });

  it('takes the mean of the middle two as the median of an even count, and NaN of nothing (issue 12)', () => {
    // Prepare
    const even = [4, 1, 3, 2];
    // Act
    const m = median(even);
    // Assess
    expect(m).toBe(2.5);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('normalCdf', () => {
  it('matches the standard normal distribution to 1e-6 (issue 12)', () => {
    // Prepare
    const points = [
      [0, 0.5],
      [1.96, 0.9750021048517795],
      [-2.5067182457620487, 0.006092890177672409],
    ];
    // Act
    const got = points.map(([z]) => normalCdf(z as number));
    // Assess
    for (const [i, g] of got.entries()) expect(g).toBeCloseTo(points[i]?.[1] as number, 6);
  });
});

describe('mannWhitneyU', () => {
  it('finds two samples that do not overlap distinguishable, as scipy does (P8, issue 12)', () => {
    // Prepare
    const a = [1, 2, 3, 4, 5];
    const b = [6, 7, 8, 9, 10];
    // Act
    const t = mannWhitneyU(a, b);
    // Assess
    expect(t.u).toBe(0);
    expect(t.p).toBeCloseTo(0.012185780355344818, 5);
  });

  it('gives U and p of a small textbook sample (P8, issue 12)', () => {
    // Prepare
    const a = [19, 22, 16, 29, 24];
    const b = [20, 11, 17, 12];
    // Act
    const t = mannWhitneyU(a, b);
    // Assess
    expect(t.u).toBe(17);
    expect(t.p).toBeCloseTo(0.11134688653314048, 5);
  });

  it('corrects for ties (P8, issue 12)', () => {
    // Prepare
    const a = [1, 2, 2, 3];
    const b = [2, 3, 3, 4];
    // Act
    const t = mannWhitneyU(a, b);
    // Assess
    expect(t.u).toBe(3);
    expect(t.p).toBeCloseTo(0.17203370892182296, 5);
  });

  it('cannot tell a sample from itself apart (P8, issue 12)', () => {
    // Prepare
    const a = [3, 1, 4, 1, 5, 9, 2, 6];
    // Act
    const t = mannWhitneyU(a, [...a]);
    // Assess
    expect(t.p).toBe(1);
  });
});

describe('histogram', () => {
  it('counts values in equal bins, the outliers in the end bins (issue 12)', () => {
    // Prepare
    const xs = [-5, 0, 0.5, 1, 1.9, 2, 3.99, 4, 100];
    // Act
    const counts = histogram(xs, 0, 4, 4);
    // Assess
    expect(counts).toEqual([3, 2, 1, 3]);
  });
});
