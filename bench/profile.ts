// Where the time goes: CPU seconds of a process (from /proc) and the self time of a V8 CPU profile
// (`node --cpu-prof`) summed per function and per kind of code (ours, libraries, Node, V8's own).
import { readFileSync } from 'node:fs';

/** User + system CPU seconds a process has used so far (Linux /proc; NaN elsewhere or once it is gone). */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name, which is in parentheses and may hold spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
export interface CpuProfile {
  /** µs on the monotonic clock (the one process.hrtime reads, on Linux shared by every process) */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export type Kind = 'ours' | 'library' | 'node' | 'v8';

export function kindOf(url: string, functionName: string): Kind {
  if (!url) return /^\((garbage collector|program|idle|root)\)$/.test(functionName) ? 'v8' : 'node';
  if (url.includes('/node_modules/')) return 'library';
  if (url.startsWith('node:') || !url.startsWith('file:')) return 'node';
  return 'ours';
}

export interface SelfTime {
  name: string;
  where: string;
  kind: Kind;
  ms: number;
}

/** µs on the monotonic clock, to pick a window of a profile. */
export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Self time per function (largest first) and per kind, in ms; `(idle)` is left out of both. With `window`
 * (monotonic µs), only the samples taken in it count, e.g. the run without the start-up.
 */
export function summariseProfile(p: CpuProfile, root = '', window?: { from: number; to: number }) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const perNode = new Map<number, number>();
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    if (window && (at < window.from || at > window.to)) return;
    perNode.set(id, (perNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  const perFunction = new Map<string, SelfTime>();
  const perKind: Record<Kind, number> = { ours: 0, library: 0, node: 0, v8: 0 };
  for (const [id, ms] of perNode) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    const kind = kindOf(frame.url, frame.functionName);
    const where = frame.url
      ? `${frame.url.replace(`file://${root}`, '').replace(/^.*\/node_modules\//, '')}:${frame.lineNumber + 1}`
      : '';
    const key = `${frame.functionName}@${where}`;
    const entry = perFunction.get(key) ?? { name: frame.functionName || '(anonymous)', where, kind, ms: 0 };
    entry.ms += ms;
    perFunction.set(key, entry);
    perKind[kind] += ms;
  }
  const top = [...perFunction.values()].sort((a, b) => b.ms - a.ms);
  return { top, perKind, totalMs: Object.values(perKind).reduce((a, b) => a + b, 0) };
}
