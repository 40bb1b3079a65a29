// The fault switch of the embedded runtime (issue 10): makes a connector, SES or the recipients' endpoints fail,
// hang past their timeout or answer garbage, a few times, with a seeded probability, or for good, so the real
// workflow's Retry and Catch, the connector ledger and the mailers' retries are what a test exercises.
// It is controlled by <data dir>/faults.json, read again whenever it changes (no restart), and does nothing while
// that file is absent or empty. Every injection is logged as `[faults] <target> <mode> #<n>` (ids only).
//
//   { "billing": { "mode": "fail", "times": 2 },
//     "crm": { "mode": "hang", "probability": 0.2, "seed": 7, "hangMs": 1500 },
//     "ses": { "mode": "fail" },                       // no times, no probability: for good
//     "recipients": { "mode": "garbage", "times": 1 } }
//
// Modes: `fail` (the system is down: a connector throws ConnectorError, an HTTP service answers 503),
// `hang` (no answer until the Lambda's timeout, or `hangMs`, then Sandbox.Timedout / a dropped connection),
// `garbage` (an answer that is not the contract's), `lost` (a connector acts, then its answer is lost).
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LambdaInvokeError } from './lambda.ts';

export const FAULT_FILE = 'faults.json';
export const FAULT_MODES = ['fail', 'hang', 'garbage', 'lost'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];
export const FAULT_TARGETS = ['billing', 'crm', 'support', 'marketing', 'ses', 'recipients'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

export interface FaultRule {
  mode: FaultMode;
  /** inject this many times, then stop */
  times?: number;
  /** inject with this probability per call, drawn from a generator seeded by `seed` */
  probability?: number;
  seed?: number;
  /** only these operations (connectors: locate, export, erase, rectify, object) */
  operations?: string[];
  /** how long `hang` waits; the Lambda's own timeout when absent */
  hangMs?: number;
}
export type FaultSpec = Partial<Record<FaultTarget, FaultRule>>;

interface Armed {
  rule: FaultRule;
  left: number;
  random: () => number;
  injected: number;
}

/** The switch over one data directory. */
export class FaultSwitch {
  private readonly file: string;
  private version = '';
  private armed = new Map<FaultTarget, Armed>();

  constructor(
    dataDir: string,
    private readonly log: (line: string) => void,
  ) {
    this.file = join(dataDir, FAULT_FILE);
  }

  /** The fault to inject on this call of `target`, if any (counts it). */
  draw(target: FaultTarget, operation?: string): FaultRule | undefined {
    this.reload();
    const armed = this.armed.get(target);
    if (!armed) return undefined;
    const { rule } = armed;
    if (rule.operations && (!operation || !rule.operations.includes(operation))) return undefined;
    if (rule.times !== undefined) {
      if (armed.left <= 0) return undefined;
      if (rule.probability === undefined || armed.random() < rule.probability) armed.left -= 1;
      else return undefined;
    } else if (rule.probability !== undefined && armed.random() >= rule.probability) return undefined;
    armed.injected += 1;
    this.log(`[faults] ${target}${operation ? `/${operation}` : ''} ${rule.mode} #${armed.injected}`);
    return rule;
  }

  private reload(): void {
    const version = fileVersion(this.file);
    if (version === this.version) return;
    this.version = version;
    this.armed = new Map();
    if (!version) return;
    let spec: FaultSpec;
    try {
      const text = readFileSync(this.file, 'utf8').trim();
      spec = text ? (JSON.parse(text) as FaultSpec) : {};
    } catch (error) {
      this.log(`[faults] ${FAULT_FILE} ignored: ${(error as Error).message}`);
      return;
    }
    for (const target of FAULT_TARGETS) {
      const rule = spec[target];
      if (!rule || !FAULT_MODES.includes(rule.mode)) continue;
      this.armed.set(target, { rule, left: rule.times ?? 0, random: seeded(rule.seed ?? 1), injected: 0 });
    }
    this.log(`[faults] armed: ${[...this.armed.keys()].join(', ') || 'none'}`);
  }
}

type Invoke = (ref: string, payload: unknown) => Promise<unknown>;
const CONNECTORS = new Set<string>(['billing', 'crm', 'support', 'marketing']);

/**
 * Wraps the workflow's Lambda invocations: a connector call (payload `{ system, operation }`) meets the fault
 * switched on for its system. `timeoutOf` gives the function's timeout in seconds, for `hang`.
 */
export function faultyInvoke(
  faults: FaultSwitch,
  real: Invoke,
  timeoutOf: (ref: string) => number,
  log: (line: string) => void = () => {},
): Invoke {
  // Every error a function really threw is logged (name only: no payload, no personal data), so a run that goes
  // wrong under faults says where.
  const invoke: Invoke = (ref, payload) =>
    real(ref, payload).catch((error: unknown) => {
      log(`[faults] error of ${ref.split(':').pop()}: ${(error as Error).name}`);
      throw error;
    });
  return async (ref, payload) => {
    const { system, operation } = (payload ?? {}) as { system?: string; operation?: string };
    if (typeof system !== 'string' || !CONNECTORS.has(system)) return invoke(ref, payload);
    const rule = faults.draw(system as FaultTarget, operation);
    if (!rule) return invoke(ref, payload);
    switch (rule.mode) {
      case 'fail':
        throw new LambdaInvokeError('ConnectorError', `${system} is unavailable (injected fault)`);
      case 'hang': {
        const seconds = rule.hangMs === undefined ? timeoutOf(ref) : rule.hangMs / 1000;
        await sleep(seconds * 1000);
        throw new LambdaInvokeError('Sandbox.Timedout', `Task timed out after ${seconds.toFixed(2)} seconds`);
      }
      case 'garbage':
        return { system, operation, outcomes: 'garbage', located: { count: -1 } };
      case 'lost':
        await invoke(ref, payload);
        throw new LambdaInvokeError('ConnectorError', `${system} answer lost (injected fault)`);
    }
  };
}

/**
 * Puts the switch in front of an HTTP service's request listeners, for the requests `applies` picks
 * (SES: sends; recipients: notices): `fail` answers 503, `hang` drops the connection after `hangMs` (30 s by
 * default), `garbage` answers 200 with a body that is not JSON; `lost` lets the request through, then answers 503.
 */
export function guardServer(
  server: Server,
  target: FaultTarget,
  faults: FaultSwitch,
  applies: (req: IncomingMessage) => boolean,
): void {
  const original = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  const pass = (req: IncomingMessage, res: ServerResponse) => {
    for (const listener of original) listener.call(server, req, res);
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const rule = applies(req) ? faults.draw(target) : undefined;
    if (!rule) return pass(req, res);
    switch (rule.mode) {
      case 'fail':
        return answer(res, 503, '{"message":"Service unavailable (injected fault)"}');
      case 'hang':
        req.resume();
        setTimeout(() => res.destroy(), rule.hangMs ?? 30_000).unref();
        return;
      case 'garbage':
        req.resume();
        return answer(res, 200, '<<garbage>>\u0000');
      case 'lost': {
        // the service acts, but its answer never arrives
        const end = res.end.bind(res);
        const writeHead = res.writeHead.bind(res);
        res.writeHead = (() => res) as unknown as typeof res.writeHead;
        res.write = (() => true) as unknown as typeof res.write;
        res.end = (() => {
          writeHead(503, { 'content-type': 'application/json' });
          end('{"message":"answer lost (injected fault)"}');
          return res;
        }) as unknown as typeof res.end;
        return pass(req, res);
      }
    }
  });
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// mulberry32: small, fast and the same sequence for the same seed on every machine (the fault suites draw from it too).
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A switch file's version (mtime and size), '' when there is none: the file is re-read only when this changes. */
export function fileVersion(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return '';
  }
}
