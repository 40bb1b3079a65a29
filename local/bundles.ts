// The Lambda bundles in cdk.out, as AWS would run them (`npm start -- --bundles`): each function's handler is the
// esbuild output of infra/bundling.ts in the asset directory the synthesized template names, loaded in a worker
// thread of its own (its "container") with the environment the stack gives that function, the runtime's local
// endpoints and resources in place of the AWS ones. A bundling fault (a file not copied, an ESM import, a dynamic
// require) then fails locally, not in production.
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { CALL_LOG_ENV } from '../functions/aws/call-recorder.ts';
import { now } from '../functions/core/clock.ts';
import { type CfnTemplate, IntrinsicResolver, LOCAL_ACCOUNT, LOCAL_REGION, lambdaFunctions } from './asl.ts';
import { type LambdaFunction, LambdaInvokeError } from './lambda.ts';

export const CDK_OUT = 'cdk.out';
/** What the bundles are built from: newer than cdk.out means cdk.out is stale. */
const SOURCES = ['functions', 'infra', 'statemachines', 'package-lock.json', 'cdk.json'];

/** The synthesized stack in cdk.out: its template, its name and its file. */
export interface SynthesizedStack {
  stackName: string;
  template: CfnTemplate & { Resources: Record<string, CfnResourceWithMeta> };
  templateFile: string;
}
interface CfnResourceWithMeta {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

/** A function as the bundles run it: its bundle file and the environment the stack gives it. */
export interface BundledFunction extends LambdaFunction {
  bundle: string;
  environment: Record<string, unknown>;
}

/** cdk.out is missing, incomplete or older than the sources; the message says what to run. */
export class BundlesUnavailableError extends Error {
  constructor(reason: string) {
    super(`${reason}: run \`npm run synth\` first, then start again with --bundles`);
    this.name = 'BundlesUnavailableError';
  }
}

/** Why cdk.out cannot be used as it is, or undefined when it is current. */
export function bundlesProblem(root: string): string | undefined {
  const manifest = join(root, CDK_OUT, 'manifest.json');
  if (!existsSync(manifest)) return `${CDK_OUT} is missing (no ${CDK_OUT}/manifest.json)`;
  const built = statSync(manifest).mtimeMs;
  const newer = SOURCES.map((s) => newestFile(join(root, s))).find((f) => f && f.mtimeMs > built);
  return newer
    ? `${CDK_OUT} is stale: ${relative(root, newer.path)} changed after the last synth`
    : undefined;
}

function newestFile(path: string): { path: string; mtimeMs: number } | undefined {
  if (!existsSync(path)) return undefined;
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(path)) {
    const found = newestFile(join(path, entry));
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/** Reads the stack from cdk.out, refusing a missing or stale one. */
export function readSynthesizedStack(root: string): SynthesizedStack {
  const problem = bundlesProblem(root);
  if (problem) throw new BundlesUnavailableError(problem);
  const manifest = JSON.parse(readFileSync(join(root, CDK_OUT, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string } }>;
  };
  const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  if (stacks.length !== 1)
    throw new BundlesUnavailableError(`${CDK_OUT} has ${stacks.length} stacks, not one`);
  const [id, artifact] = stacks[0] as [string, (typeof stacks)[0][1]];
  const templateFile = join(root, CDK_OUT, artifact.properties?.templateFile ?? `${id}.template.json`);
  return {
    stackName: artifact.properties?.stackName ?? id,
    template: JSON.parse(readFileSync(templateFile, 'utf8')),
    templateFile,
  };
}

/** Every handler-tagged function of the stack with its bundle; refuses a bundle that is not there. */
export function bundledFunctions(root: string, stack: SynthesizedStack): BundledFunction[] {
  return lambdaFunctions(stack.template).map((fn) => {
    const resource = stack.template.Resources[fn.name];
    const assetPath = resource?.Metadata?.['aws:asset:path'];
    const dir = typeof assetPath === 'string' ? join(root, CDK_OUT, assetPath) : undefined;
    const bundle = dir && ['index.mjs', 'index.js'].map((f) => join(dir, f)).find((f) => existsSync(f));
    if (!bundle) throw new BundlesUnavailableError(`${CDK_OUT} has no bundle for ${fn.name} (${fn.entry})`);
    const variables = (resource?.Properties?.Environment as { Variables?: Record<string, unknown> })
      ?.Variables;
    return { ...fn, bundle, environment: variables ?? {} };
  });
}

/**
 * The environment of one function's container: the runtime's own (endpoints, credentials, clock, local switches),
 * without any stack variable the stack does not give this function, and with each variable it does give: the
 * runtime's local value where it has one (tables, buckets, secret, state machine), else the template's.
 */
export function functionEnvironment(
  fn: BundledFunction,
  all: BundledFunction[],
  stack: SynthesizedStack,
  base: NodeJS.ProcessEnv,
): Record<string, string> {
  const resolver = new IntrinsicResolver(stack.template, {
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT,
    stackName: stack.stackName,
  });
  const stackNames = new Set(all.flatMap((f) => Object.keys(f.environment)));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base))
    if (value !== undefined && !stackNames.has(name)) env[name] = value;
  for (const [name, value] of Object.entries(fn.environment))
    env[name] = base[name] ?? String(resolver.resolve(value));
  Object.assign(env, {
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    // the worker's clock module starts now: it carries on from the runtime's clock, not from CLOCK_START again
    ...(base.CLOCK_START ? { CLOCK_START: now().toISOString() } : {}),
  });
  return env;
}

type Reply = { id: number; ok: true; result: string } | { id: number; ok: false; error: SerializedError };
interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/** Worker threads running bundles, one per function, made on first use and recycled when idle. */
export class BundleContainers {
  private readonly workers = new Map<string, { worker: Worker; pending: Map<number, (r: Reply) => void> }>();
  private readonly idle = new Map<string, NodeJS.Timeout>();
  private next = 0;

  constructor(
    private readonly root: string,
    private readonly environmentOf: (fn: BundledFunction) => Record<string, string>,
    private readonly log: (line: string) => void,
    private readonly idleMs = 60_000,
  ) {}

  /** Runs the function's handler in its container; rejects like the Lambda runtime does. */
  invoke(fn: BundledFunction, event: unknown, context: Context): Promise<unknown> {
    const container = this.container(fn);
    clearTimeout(this.idle.get(fn.name));
    const id = this.next++;
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const plain = { ...context, deadline, done: undefined, fail: undefined, succeed: undefined };
    return new Promise<unknown>((resolve, reject) => {
      container.pending.set(id, (reply) => {
        container.pending.delete(id);
        if (container.pending.size === 0) this.scheduleIdle(fn.name);
        if (reply.ok) resolve(JSON.parse(reply.result));
        else reject(new LambdaInvokeError(reply.error.name, reply.error.message, stackLines(reply.error)));
      });
      container.worker.postMessage({ id, event, context: JSON.parse(JSON.stringify(plain)) });
    });
  }

  /** Ends every container (the runtime stops). */
  async close(): Promise<void> {
    for (const timer of this.idle.values()) clearTimeout(timer);
    await Promise.all([...this.workers.keys()].map((name) => this.end(name)));
  }

  private container(fn: BundledFunction) {
    const running = this.workers.get(fn.name);
    if (running) return running;
    const env = this.environmentOf(fn);
    // The IAM check maps local resource names to deployed ones through the variables that carry them.
    const callLog = env[CALL_LOG_ENV];
    if (callLog) {
      const environment = Object.fromEntries(Object.keys(fn.environment).map((k) => [k, env[k]]));
      appendFileSync(callLog, `${JSON.stringify({ fn: fn.name, environment })}\n`);
    }
    const worker = new Worker(new URL('./bundle-worker.mjs', import.meta.url), {
      workerData: { bundle: fn.bundle },
      env,
      // As Lambda runs Node: no TypeScript loader, source maps on (the stack's NODE_OPTIONS).
      execArgv: ['--enable-source-maps', '--import', join(this.root, 'local', 'polyfills.mjs')],
    });
    worker.unref();
    const pending = new Map<number, (r: Reply) => void>();
    const container = { worker, pending };
    worker.on('message', (reply: Reply) => pending.get(reply.id)?.(reply));
    worker.on('error', (error) => this.fail(fn.name, container, error));
    worker.on('exit', (code) =>
      this.fail(fn.name, container, new Error(`the container exited with ${code}`)),
    );
    this.workers.set(fn.name, container);
    this.log(`[lambda] ${fn.name} runs ${relative(this.root, fn.bundle)} (bundle of ${fn.entry})`);
    return container;
  }

  // A crashed container fails its invocations, as Runtime.ExitError does on Lambda; the next one starts afresh.
  private fail(name: string, container: { pending: Map<number, (r: Reply) => void> }, error: Error) {
    if (this.workers.get(name)?.pending === container.pending) this.workers.delete(name);
    for (const [id, settle] of container.pending)
      settle({ id, ok: false, error: { name: 'Runtime.ExitError', message: error.message } });
  }

  private scheduleIdle(name: string) {
    this.idle.set(
      name,
      setTimeout(() => void this.end(name), this.idleMs),
    );
    this.idle.get(name)?.unref();
  }

  private async end(name: string) {
    const container = this.workers.get(name);
    this.workers.delete(name);
    await container?.worker.terminate();
  }
}

const stackLines = (e: SerializedError) => (e.stack ?? '').split('\n').map((l) => l.trim());
