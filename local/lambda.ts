// Invokes handler files the way the Lambda Node.js runtime does: the module is loaded once per "container"
// (here: once per process), the event and the result travel as JSON, and the handler gets a Lambda context.
// Handlers keep writing their own logs to stdout, as they do to CloudWatch on AWS.
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

/** Names a file that gets one JSON line per invocation (function, memory, duration) for bench/cost.ts; unset: none. */
export const INVOCATION_LOG_ENV = 'LOCAL_INVOCATION_LOG';

/** One line of the invocation log: what Lambda bills, at the memory the stack gives the function. */
export interface InvocationRecord {
  fn: string;
  entry: string;
  memoryMb: number;
  ms: number;
  ok: boolean;
}

/** What the runtime knows about one Lambda: its handler file and the limits the stack gives it. */
export interface LambdaFunction {
  /** Placeholder function name (the logical id in the template, or a registry id). */
  name: string;
  /** Handler file, relative to the project root (the `app:entry` tag). */
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
}

/** A failed invocation, shaped like the Lambda runtime reports it: `name` is the errorType. */
export class LambdaInvokeError extends Error {
  constructor(
    name: string,
    message: string,
    readonly trace: string[] = [],
  ) {
    super(message);
    this.name = name;
  }

  /** The Lambda error payload, which Step Functions puts in `Cause` as a JSON string. */
  toPayload() {
    return { errorType: this.name, errorMessage: this.message, trace: this.trace };
  }
}

export type Handler = (event: unknown, context: Context) => unknown;

export interface InvokerOptions {
  root: string;
  region: string;
  accountId: string;
  functions: LambdaFunction[];
  /** Where invocation errors are reported (the Lambda runtime logs them); defaults to stderr. */
  logError?: (line: string) => void;
  /** How a function's handler is loaded; defaults to importing its TypeScript entry (local/bundles.ts: its bundle). */
  load?: (fn: LambdaFunction) => Promise<Handler>;
}

export interface Invoker {
  /** Invokes by function name, ARN (qualifier ignored) or entry file; rejects with LambdaInvokeError. */
  invoke(ref: string, event: unknown): Promise<unknown>;
  /** The function a reference names, if any. */
  find(ref: string): LambdaFunction | undefined;
}

const DEFAULT_FUNCTION: Omit<LambdaFunction, 'name' | 'entry'> = { timeoutSeconds: 30, memoryMb: 512 };

/** Builds an invoker over the functions of the stack (and any entry file asked for directly). */
export function createInvoker(options: InvokerOptions): Invoker {
  const byName = new Map<string, LambdaFunction>();
  const byEntry = new Map<string, LambdaFunction>();
  for (const fn of options.functions) {
    byName.set(fn.name, fn);
    byEntry.set(normalizeEntry(fn.entry), fn);
  }
  const modules = new Map<string, Promise<Handler>>();
  const logError = options.logError ?? ((line: string) => process.stderr.write(`${line}\n`));
  const invocationLog = process.env[INVOCATION_LOG_ENV];

  const find = (ref: string): LambdaFunction | undefined => {
    const name = functionNameOf(ref);
    return byName.get(name) ?? byEntry.get(normalizeEntry(ref));
  };

  const load = (fn: LambdaFunction): Promise<Handler> => {
    const entry = fn.entry;
    let loaded = modules.get(entry);
    if (!loaded) {
      loaded = options.load ? options.load(fn) : importHandler(options.root, entry);
      // a failed import is retried on the next invocation, as a new container would
      loaded.catch(() => modules.delete(entry));
      modules.set(entry, loaded);
    }
    return loaded;
  };

  return {
    find,
    async invoke(ref, event) {
      const known = find(ref);
      const fn: LambdaFunction | undefined =
        known ??
        (looksLikeEntry(ref) ? { name: entryName(ref), entry: ref, ...DEFAULT_FUNCTION } : undefined);
      if (!fn) {
        throw new LambdaInvokeError('Lambda.ResourceNotFoundException', `Function not found: ${ref}`);
      }
      const started = performance.now();
      let ok = false;
      const handler = await load(fn);
      const context = lambdaContext(fn, options);
      const payload = JSON.parse(JSON.stringify(event ?? null));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new LambdaInvokeError(
                'Sandbox.Timedout',
                `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
              ),
            ),
          fn.timeoutSeconds * 1000,
        );
      });
      try {
        const result = await Promise.race([Promise.resolve().then(() => handler(payload, context)), timeout]);
        ok = true;
        return result === undefined ? null : JSON.parse(JSON.stringify(result));
      } catch (error) {
        const failure = toInvokeError(error);
        logError(
          `${new Date().toISOString()}\t${context.awsRequestId}\tERROR\tInvoke Error\t${JSON.stringify({ function: fn.name, ...failure.toPayload() })}`,
        );
        throw failure;
      } finally {
        clearTimeout(timer);
        if (invocationLog) {
          const { name, entry, memoryMb } = fn;
          const line: InvocationRecord = { fn: name, entry, memoryMb, ms: performance.now() - started, ok };
          appendFileSync(invocationLog, `${JSON.stringify(line)}\n`);
        }
      }
    },
  };
}

async function importHandler(root: string, entry: string): Promise<Handler> {
  const path = isAbsolute(entry) ? entry : resolve(root, entry);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const e = error as Error;
    throw new LambdaInvokeError(
      'Runtime.ImportModuleError',
      `Error: Cannot load ${entry}: ${e.message}`,
      stackOf(e),
    );
  }
  const handler = module.handler;
  if (typeof handler !== 'function') {
    throw new LambdaInvokeError('Runtime.HandlerNotFound', `${entry}.handler is undefined or not exported`);
  }
  return handler as Handler;
}

function lambdaContext(fn: LambdaFunction, options: InvokerOptions): Context {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('Callback-style completion (done/succeed/fail) is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(fn.name, options.region, options.accountId),
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** The placeholder ARN of a function, as the resolved state machine names it. */
export function functionArn(name: string, region: string, accountId: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

/** The function name in a name, a partial ARN or a full ARN, without version or alias. */
export function functionNameOf(ref: string): string {
  const match = /^(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:|[0-9]{12}:function:)?([^:]+)(?::[^:]+)?$/.exec(
    ref,
  );
  return match?.[1] ?? ref;
}

function toInvokeError(error: unknown): LambdaInvokeError {
  if (error instanceof LambdaInvokeError) return error;
  if (error instanceof Error)
    return new LambdaInvokeError(error.name || 'Error', error.message, stackOf(error));
  return new LambdaInvokeError('Error', typeof error === 'string' ? error : JSON.stringify(error));
}

function stackOf(error: Error): string[] {
  return (error.stack ?? '').split('\n').map((l) => l.trim());
}

const normalizeEntry = (entry: string) => entry.replace(/^\.\//, '');
const looksLikeEntry = (ref: string) => /\.(m|c)?(t|j)s$/.test(ref);
const entryName = (entry: string) =>
  normalizeEntry(entry)
    .replace(/\.(m|c)?(t|j)s$/, '')
    .replace(/[^A-Za-z0-9-_]/g, '-');
