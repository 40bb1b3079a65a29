// Where the time goes (issue 12): a V8 CPU profile summed into self time per function and per kind of code.
import { describe, expect, it } from 'vitest';
import { type CpuProfile, kindOf, summariseProfile } from '../../../bench/profile.ts';

const frame = (id: number, functionName: string, url: string) => ({
  id,
  callFrame: { functionName, url, lineNumber: 9 },
});
const PROFILE: CpuProfile = {
  startTime: 1_000,
  nodes: [
    frame(1, '(idle)', ''),
    frame(2, 'handler', 'file:///repo/functions/api/create-request.ts'),
    frame(3, 'send', 'file:///repo/node_modules/@smithy/core/dist-cjs/index.js'),
    frame(4, '(garbage collector)', ''),
    frame(5, 'writev', ''),
  ],
  // one sample each 1,000 µs: idle, handler ×2, send, GC, writev
  samples: [1, 2, 2, 3, 4, 5],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
};

describe('summariseProfile', () => {
  it('sums self time per function and kind, largest first, idle left out (issue 12)', () => {
    // Prepare
    const profile = PROFILE;
    // Act
    const s = summariseProfile(profile, '/repo');
    // Assess
    expect(s.totalMs).toBe(5);
    expect(s.perKind).toEqual({ ours: 2, library: 1, node: 1, v8: 1 });
    expect(s.top[0]).toEqual({
      name: 'handler',
      where: '/functions/api/create-request.ts:10',
      kind: 'ours',
      ms: 2,
    });
    expect(s.top.find((t) => t.name === 'send')?.where).toBe('@smithy/core/dist-cjs/index.js:10');
  });

  it('counts only the samples inside the window (issue 12)', () => {
    // Prepare: samples fall at 2,000 … 7,000 µs
    const window = { from: 3_000, to: 4_000 };
    // Act
    const s = summariseProfile(PROFILE, '/repo', window);
    // Assess
    expect(s.totalMs).toBe(2);
    expect(s.perKind.ours).toBe(2);
  });
});

describe('kindOf', () => {
  it('tells our files from libraries, Node and V8 (issue 12)', () => {
    // Prepare
    const frames: [string, string][] = [
      ['file:///repo/local/stepfunctions.ts', 'record'],
      ['file:///repo/node_modules/zod/index.js', 'parse'],
      ['node:internal/fs', 'open'],
      ['', '(program)'],
    ];
    // Act
    const kinds = frames.map(([url, name]) => kindOf(url, name));
    // Assess
    expect(kinds).toEqual(['ours', 'library', 'node', 'v8']);
  });
});
