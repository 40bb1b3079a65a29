// The delay knob of the embedded runtime (issue 12, the fan-out benchmark): every operation of a connector system
// takes at least a fixed time, so the workflow's fan-out can be measured against the slowest system.
// Set per system in <data dir>/delays.json, read again whenever it changes (no restart), e.g.
//   { "billing": 200, "crm": 200, "support": 200, "marketing": 1000 }      (milliseconds; "*" for every system)
// or at start with LOCAL_SYSTEM_DELAY_MS ("200", or "billing=200,crm=1000"). Absent, nothing is delayed.
// The delay is added before the connector runs, as a slow system's answer would be; faults (faults.ts) still apply.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DELAY_FILE = 'delays.json';
export const DELAY_ENV = 'LOCAL_SYSTEM_DELAY_MS';

/** Milliseconds per system (`*`: every system) from LOCAL_SYSTEM_DELAY_MS's text. */
export function parseDelays(text: string | undefined): Record<string, number> {
  const delays: Record<string, number> = {};
  for (const part of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [system, ms] = part.includes('=') ? part.split('=') : ['*', part];
    const value = Number(ms);
    if (system && Number.isFinite(value) && value >= 0) delays[system.trim()] = value;
  }
  return delays;
}

/** The knob over one data directory; the file, when present, wins over the environment. */
export class DelaySwitch {
  private readonly file: string;
  private version = '';
  private delays: Record<string, number>;

  constructor(
    dataDir: string,
    private readonly fromEnv: Record<string, number> = parseDelays(process.env[DELAY_ENV]),
  ) {
    this.file = join(dataDir, DELAY_FILE);
    this.delays = fromEnv;
  }

  /** How long an operation of `system` waits before it runs. */
  delayOf(system: string): number {
    this.reload();
    return this.delays[system] ?? this.delays['*'] ?? 0;
  }

  private reload(): void {
    let version = '';
    try {
      const s = statSync(this.file);
      version = `${s.mtimeMs}:${s.size}`;
    } catch {
      // no file: the environment's delays
    }
    if (version === this.version) return;
    this.version = version;
    this.delays = this.fromEnv;
    if (!version) return;
    try {
      const text = readFileSync(this.file, 'utf8').trim();
      this.delays = text ? (JSON.parse(text) as Record<string, number>) : {};
    } catch {
      // a half-written file: keep the environment's delays until it is whole
    }
  }
}

type Invoke = (ref: string, payload: unknown) => Promise<unknown>;

/** Wraps the workflow's Lambda invocations: a connector call (payload `{ system }`) first waits its system's delay. */
export function delayedInvoke(delays: DelaySwitch, real: Invoke): Invoke {
  return async (ref, payload) => {
    const { system } = (payload ?? {}) as { system?: unknown };
    const ms = typeof system === 'string' ? delays.delayOf(system) : 0;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    return real(ref, payload);
  };
}
