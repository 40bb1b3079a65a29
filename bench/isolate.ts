// Runs one benchmark step in a child Node process of its own and measures that process's peak resident memory, so
// DynamoDB Local's Java, the data seeding and the other sections do not count in it. The peak is the kernel's high
// water mark (VmHWM in /proc/self/status) where there is one, else the highest of samples taken every 20 ms.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A size field of /proc/<pid>/status (`VmHWM:   123456 kB`) in bytes, or undefined when it is not there. */
export function statusBytes(status: string, field: 'VmHWM' | 'VmRSS'): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s*kB\\s*$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Tracks this process's peak resident memory while a step runs. */
export function peakSampler(everyMs = 20) {
  let sampled = process.memoryUsage().rss;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, everyMs);
  timer.unref();
  return {
    /** the kernel's high water mark if it keeps one, else the highest sample */
    stop(): number {
      clearInterval(timer);
      sampled = Math.max(sampled, process.memoryUsage().rss);
      let hwm: number | undefined;
      try {
        hwm = statusBytes(readFileSync('/proc/self/status', 'utf8'), 'VmHWM');
      } catch {
        // not Linux: the samples are all there is
      }
      return Math.max(sampled, hwm ?? 0);
    },
  };
}

export interface Isolated<T> {
  result: T;
  /** peak resident memory of the child, bytes */
  peakRss: number;
  /** resident memory of the child before the step ran (Node, tsx and the loaded modules), bytes */
  rssBefore: number;
  /** CPU seconds (user + system) the child spent in the step: less swayed by the machine's load than its time */
  cpuSeconds: number;
}

const CHILD = fileURLToPath(new URL('./isolate-child.ts', import.meta.url));

/** Calls `name(arg)` exported by `module` (a path under bench/) in a fresh child process. */
export function isolated<T>(module: string, name: string, arg: unknown): Promise<Isolated<T>> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: ['--import', './local/polyfills.mjs', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answered = false;
    child.on('message', (m: Partial<Isolated<T>> & { error?: string }) => {
      answered = true;
      if (m.error !== undefined) reject(new Error(`${name} in a child process: ${m.error}`));
      else
        resolve({
          result: m.result as T,
          peakRss: m.peakRss ?? 0,
          rssBefore: m.rssBefore ?? 0,
          cpuSeconds: m.cpuSeconds ?? Number.NaN,
        });
      child.disconnect();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!answered) reject(new Error(`${name}: child process exited with ${code} before answering`));
    });
    child.send({ module: fileURLToPath(new URL(module, import.meta.url)), name, arg });
  });
}
