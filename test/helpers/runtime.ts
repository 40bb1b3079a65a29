// The embedded runtime as a child process, as `npm start` runs it: on free ports, in a temporary data directory,
// from the demo data. Integration tests talk to it only over HTTP and the AWS SDK.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ENV } from '../../functions/core/config.ts';
import type { Role } from '../../functions/registry.ts';
import { READY_PREFIX, type RuntimeInfo } from '../../local/runtime.ts';
import { loadStaffKey, signStaffToken } from '../../local/staff-auth.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface RuntimeOptions {
  /** the runtime's clock at start (CLOCK_START), ISO 8601 */
  clock?: string;
  /** extra environment, e.g. lower rate limits */
  env?: Record<string, string>;
  /** reuse a data directory instead of a fresh temporary one (kept on stop) */
  dataDir?: string;
  startTimeoutMs?: number;
  /** run the Lambda bundles of cdk.out (`npm start -- --bundles`); test/helpers/bundles.ts synthesizes them first */
  bundles?: boolean;
  /** extra options for the runtime's node, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS) */
  nodeArgs?: string[];
}

export interface Runtime {
  readonly apiUrl: string;
  readonly sesUrl: string;
  readonly s3Url: string;
  readonly dynamodbEndpoint: string;
  /** Step Functions and Secrets Manager */
  readonly awsLocalUrl: string;
  readonly stateMachineArn: string;
  /** each configured system's local service by name: its base URL (config/systems/, P17) */
  readonly systems: Record<string, string>;
  readonly dataDir: string;
  /** the runtime process and DynamoDB Local's Java process of the current run */
  readonly pid: number;
  readonly dynamodbPid: number | undefined;
  /** every stdout and stderr line of every run so far */
  logs(): string[];
  /** a staff token the local API accepts */
  staffToken(role: Role, sub?: string): Promise<string>;
  /** Stops (like Ctrl-C) and starts again on the same data, with the clock carried on. */
  restart(): Promise<void>;
  /** Kills the runtime and DynamoDB Local's Java with SIGKILL (a crash: nothing is flushed or closed), then starts again on the same data. */
  crashAndRestart(): Promise<void>;
  /** Stops like Ctrl-C; removes the temporary data directory unless told to keep it. */
  stop(options?: { keepDataDir?: boolean }): Promise<void>;
}

/** Starts the runtime and resolves once GET /health answers 200. */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const handle = new RuntimeProcess(options);
  await handle.start(true);
  return handle;
}

// Names the runtime sets itself; inherited values (e.g. from another test's setup) would make runs differ.
const INHERITED_OUT = new Set<string>([
  ...(Object.values(ENV) as unknown[]).filter((v): v is string => typeof v === 'string'),
  'AWS_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'NODE_OPTIONS',
]);

class RuntimeProcess implements Runtime {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  private info?: RuntimeInfo;
  private readonly lines: string[] = [];
  private readonly ownDir: boolean;
  readonly dataDir: string;
  private clockAtReady?: { clock: number; wall: number };

  constructor(private readonly options: RuntimeOptions) {
    this.ownDir = !options.dataDir;
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'jsm-runtime-'));
  }

  get apiUrl() {
    return this.require().api;
  }
  get sesUrl() {
    return this.require().ses;
  }
  get s3Url() {
    return this.require().s3;
  }
  get dynamodbEndpoint() {
    return this.require().dynamodb;
  }
  get awsLocalUrl() {
    return this.require().aws;
  }
  get stateMachineArn() {
    return this.require().stateMachineArn;
  }
  get systems() {
    return this.require().systems;
  }
  get pid() {
    return this.require().pid;
  }
  get dynamodbPid() {
    return this.require().dynamodbPid;
  }

  logs(): string[] {
    return [...this.lines];
  }

  async staffToken(role: Role, sub?: string): Promise<string> {
    return signStaffToken(loadStaffKey(this.dataDir), { role, ...(sub ? { sub } : {}) });
  }

  async restart(): Promise<void> {
    await this.stop({ keepDataDir: true });
    await this.start(false);
  }

  async crashAndRestart(): Promise<void> {
    const child = this.child;
    const java = this.info?.dynamodbPid;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await this.exited;
    }
    if (java) {
      try {
        process.kill(java, 'SIGKILL');
      } catch {
        // already gone
      }
      await waitForExit(java);
    }
    this.child = undefined;
    await this.start(false);
  }

  async stop(options: { keepDataDir?: boolean } = {}): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const code = await Promise.race([
        this.exited,
        // unref: a pending guard timer must not keep a finished bench or test process alive.
        new Promise((r) => setTimeout(() => r('timeout'), 30_000).unref()),
      ]);
      if (code === 'timeout') {
        killGroup(child);
        await this.exited;
      }
    }
    this.child = undefined;
    if (this.ownDir && !options.keepDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  async start(fresh: boolean): Promise<void> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !INHERITED_OUT.has(k) && !k.startsWith('AWS_ENDPOINT_URL')) env[k] = v;
    }
    // The owners of systems without an API answer their tasks unless a test answers them itself (P17).
    env.LOCAL_TASK_OWNERS = 'answer';
    Object.assign(env, this.options.env);
    const args = [
      ...(this.options.nodeArgs ?? []),
      '--import',
      './local/polyfills.mjs',
      '--import',
      'tsx',
      'local/main.ts',
      '--free-ports',
      '--data-dir',
      this.dataDir,
    ];
    if (fresh && this.ownDir) args.push('--fresh');
    if (this.options.bundles) args.push('--bundles');
    const clock = this.nextClock();
    if (clock) args.push('--clock', clock);

    // Its own process group, with DynamoDB Local's Java in it: a runtime given up on is ended with all it started.
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
    // If the test process goes away first, nothing it started may outlive it.
    const onExit = () => killGroup(child);
    process.once('exit', onExit);
    void this.exited.then(() => process.off('exit', onExit));

    let ready: (info: RuntimeInfo) => void = () => {};
    const readyLine = new Promise<RuntimeInfo>((done) => {
      ready = done;
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      this.lines.push(line);
      if (line.startsWith(READY_PREFIX)) ready(JSON.parse(line.slice(READY_PREFIX.length)) as RuntimeInfo);
    });
    createInterface({ input: child.stderr }).on('line', (line) => this.lines.push(line));

    const timeoutMs = this.options.startTimeoutMs ?? 120_000;
    const outcome = await Promise.race([
      readyLine,
      this.exited.then((code) => new Error(`the runtime exited with ${code} before it was ready`)),
      new Promise<Error>((done) =>
        setTimeout(
          () => done(new Error(`the runtime was not ready within ${timeoutMs} ms`)),
          timeoutMs,
        ).unref(),
      ),
    ]);
    if (outcome instanceof Error) {
      killGroup(child);
      throw new Error(`${outcome.message}\n${this.lines.slice(-30).join('\n')}`);
    }
    this.info = outcome;
    this.clockAtReady = { clock: Date.parse(outcome.clock), wall: Date.now() };
    await waitForHealth(outcome.api, timeoutMs);
  }

  // The clock runs on across a restart instead of jumping back to the first start's instant.
  private nextClock(): string | undefined {
    if (this.clockAtReady && this.options.clock) {
      return new Date(this.clockAtReady.clock + (Date.now() - this.clockAtReady.wall)).toISOString();
    }
    return this.options.clock;
  }

  private require(): RuntimeInfo {
    if (!this.info) throw new Error('The runtime has not started');
    return this.info;
  }
}

/** SIGKILL to the runtime's whole process group: the runtime and the Java it started. */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function waitForExit(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForHealth(apiUrl: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${apiUrl}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${apiUrl}/health did not answer 200 within ${timeoutMs} ms`);
}
