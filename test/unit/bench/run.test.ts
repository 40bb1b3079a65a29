// The benchmark's command line: what a run measures and how often.
import { describe, expect, it } from 'vitest';
import { PARTS, parseArgs, repeatsOf } from '../../../bench/run.ts';

describe('npm run bench: its arguments (issue 12)', () => {
  it('reports the seven measurements in the order the issue numbers them', () => {
    // Act
    const ids = PARTS.map((p) => p.id);
    // Assess
    expect(ids).toEqual([
      'fan-out',
      'throughput',
      'cost',
      'retention-sweep',
      'export-stream',
      'cold-start',
      'enumeration',
    ]);
  });

  it('repeats three times unless quick, refuses an unknown part, and lets one part repeat its own number of times', () => {
    // Act
    const full = parseArgs([]);
    const quick = parseArgs(['--quick', '--only', 'cost,fan-out']);
    // Assess
    expect(full).toMatchObject({ quick: false, repeats: 3 });
    expect(quick).toEqual({ quick: true, only: ['cost', 'fan-out'], repeats: 1 });
    expect(() => parseArgs(['--only', 'speed'])).toThrow(/no such part speed/);
    expect(repeatsOf('retention-sweep', 3, { BENCH_REPEATS_RETENTION_SWEEP: '1' })).toBe(1);
    expect(repeatsOf('throughput', 3, {})).toBe(3);
  });
});
