// The arithmetic behind measurements 4 and 5 of the benchmark (issue 12): the scale ratio and its allowance, and the
// peak memory read from /proc/self/status.
import { describe, expect, it } from 'vitest';
import { statusBytes } from '../../../bench/isolate.ts';
import { allowedRatio, pairedRatios, rate } from '../../../bench/scale.ts';

const STATUS = [
  'Name:\tnode',
  'VmPeak:\t 1234567 kB',
  'VmHWM:\t  204800 kB',
  'VmRSS:\t  102400 kB',
  'Threads:\t11',
].join('\n');

describe('Benchmark scale arithmetic (issue 12)', () => {
  it('allows 11× the time for ten times the subjects, and the same 10 % over linear at other sizes (issue 12)', () => {
    // Prepare
    const full = [10_000, 100_000] as const;
    const quick = [1_000, 5_000] as const;
    // Act
    const allowed = [allowedRatio(...full), allowedRatio(...quick)];
    // Assess
    expect(allowed[0]).toBeCloseTo(11);
    expect(allowed[1]).toBeCloseTo(5.5);
  });

  it('pairs each large run with the small run of the same repeat, and says when one is missing (issue 12)', () => {
    // Prepare
    const small = [10, 20];
    const large = [105, 230, 300];
    // Act
    const ratios = pairedRatios(small, large);
    // Assess
    expect(ratios.slice(0, 2)).toEqual([10.5, 11.5]);
    expect(ratios[2]).toBeNaN();
    expect(rate(50_000, 2.5)).toBe(20_000);
  });

  it('reads the peak and current resident memory from /proc/self/status in bytes, and nothing from other fields (issue 12)', () => {
    // Prepare: a status text as Linux writes it (tabs, kB)
    // Act
    const peak = statusBytes(STATUS, 'VmHWM');
    const now = statusBytes(STATUS, 'VmRSS');
    // Assess
    expect(peak).toBe(200 * 2 ** 20);
    expect(now).toBe(100 * 2 ** 20);
    expect(statusBytes('Name:\tnode\nVmPeak:\t 1 kB', 'VmHWM')).toBeUndefined();
  });
});
