// The embedded runtime: real local implementations of the AWS services the handlers use, in one Node process
// (plus DynamoDB Local's Java), wired to the handlers only through AWS_ENDPOINT_URL_<SERVICE> and the app's
// environment variables. local/main.ts is the command line around it.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { buildConsole } from '../console/build.ts';
import { CALL_LOG_ENV } from '../functions/aws/call-recorder.ts';
import type { HttpSystem } from '../functions/connectors/generic/http/config.ts';
import { now } from '../functions/core/clock.ts';
import { ENV, RATE_LIMIT_DEFAULTS } from '../functions/core/config.ts';
import { loadRecipients } from '../functions/core/registers/index.ts';
import { configuredSystems } from '../functions/core/systems.ts';
import { API_ROUTES, SCHEDULES } from '../functions/registry.ts';
import { WORKFLOW_EVENTS } from '../functions/registry-deadlines.ts';
import { MAIL_EVENTS } from '../functions/registry-mail.ts';
import { createApiServer } from './api-server.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, resolveStateMachine, synthesizeStateMachine } from './asl.ts';
import { createAwsEndpoint } from './aws-endpoint.ts';
import {
  BundleContainers,
  type BundledFunction,
  bundledFunctions,
  functionEnvironment,
  readSynthesizedStack,
} from './bundles.ts';
import { DelaySwitch, delayedInvoke } from './delays.ts';
import { seedDemoData } from './demo-data.ts';
import { freePort, startDynamoDb } from './dynamodb.ts';
import { DynamoExecutionStore, type ExecutionRecord } from './execution-store.ts';
import { FaultSwitch, faultyInvoke, guardServer } from './faults.ts';
import { createInvoker, type Invoker, LambdaInvokeError } from './lambda.ts';
import { createRecipientsServer } from './recipients.ts';
import { createRestSystem, DEMO_SYSTEMS_DIR } from './rest-system.ts';
import { S3RVER_CREDENTIALS, startS3 } from './s3.ts';
import { loadAppSecret, loadSystemSecrets } from './secrets.ts';
import { snsEventOf, startSes } from './ses.ts';
import { loadStaffKey, STAFF_KEY_FILE } from './staff-auth.ts';
import { createLocalLogin } from './staff-users.ts';
import { LocalStepFunctions } from './stepfunctions.ts';
import { createTables, tableEnvironment } from './tables.ts';
import { playTaskOwners } from './task-owners.ts';
import { type LongTimer, runRetentionSweep, setLongTimeout, startRetentionSweep } from './timers.ts';

export interface Ports {
  api: number;
  dynamodb: number;
  ses: number;
  s3: number;
  aws: number;
  /** the recipients' endpoints (local/recipients.ts); a free port when absent */
  recipients?: number;
  /** configured systems' local services by name; a free port when absent */
  systems?: Record<string, number>;
}

export const DEFAULT_PORTS: Ports = {
  api: 3000,
  dynamodb: 8000,
  ses: 8005,
  s3: 8006,
  aws: 8007,
  recipients: 8008,
};
export const BUCKETS = { exports: 'jsm-privacy-exports', auditHeads: 'jsm-privacy-audit-heads' } as const;
export const READY_PREFIX = 'LOCAL_RUNTIME_READY ';
const MARKER = '.jsm-local-runtime';

export interface RuntimeOptions {
  root: string;
  dataDir: string;
  /** wipe the data directory (but the staff signing key) and start from the demo data alone */
  fresh?: boolean;
  /** CLOCK_START: the instant the runtime's clock starts at */
  clock?: string;
  /** 0 picks a free port */
  ports: Ports;
  host?: string;
  /** `cdk` | `file` | undefined (the CDK app if present) */
  log?: (line: string) => void;
  /** run the Lambda bundles in cdk.out (local/bundles.ts) instead of the TypeScript sources */
  bundles?: boolean;
}

export interface RuntimeInfo {
  pid: number;
  api: string;
  ses: string;
  s3: string;
  dynamodb: string;
  aws: string;
  /** RECIPIENTS_BASE_URL: the recipients' and processors' endpoints */
  recipients: string;
  /** each configured system's local service (config/systems/, local/demo-systems/), by name: its base URL */
  systems: Record<string, string>;
  dataDir: string;
  stateMachineArn: string;
  /** DynamoDB Local's Java process, so tests can check that it ends with the runtime */
  dynamodbPid?: number;
  clock: string;
  seeded: boolean;
  resumed: number;
  /** where the handlers come from: the TypeScript sources, or the bundles of cdk.out (--bundles) */
  handlers: 'sources' | 'bundles';
}

export interface LocalRuntime {
  info: RuntimeInfo;
  /** Stops everything, DynamoDB Local's Java included; running executions stay RUNNING and resume next time. */
  close(): Promise<void>;
}

/** Starts every local service, the handlers' environment and the API; resolves once /health answers 200. */
export async function startLocalRuntime(options: RuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // Node 20 support is deliberate (DESIGN.md); the SDK's notice would otherwise open every start's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir;
  // The call log is the bundles' own (one container per function names its calls); the runtime records nothing.
  const callLog = process.env[CALL_LOG_ENV];
  delete process.env[CALL_LOG_ENV];
  if (callLog && !options.bundles)
    throw new Error(`${CALL_LOG_ENV} records calls per function, which only --bundles can tell apart`);
  // Before anything starts: a missing or stale cdk.out is said plainly (BundlesUnavailableError).
  const stack = options.bundles ? readSynthesizedStack(options.root) : undefined;
  prepareDataDir(dataDir, options.fresh ?? false);
  if (options.clock) {
    if (Number.isNaN(Date.parse(options.clock)))
      throw new Error(`--clock ${options.clock} is not an ISO 8601 instant`);
    process.env[ENV.clockStart] = options.clock;
  }

  let state: 'starting' | 'ready' | 'stopping' = 'starting';
  let engine: LocalStepFunctions | undefined;
  let info: RuntimeInfo | undefined;

  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    state = 'stopping';
    for (const closer of closers.reverse()) {
      try {
        await closer();
      } catch (error) {
        process.stderr.write(`[runtime] stopping: ${(error as Error).message}\n`);
      }
    }
    if (info) rmSync(join(dataDir, 'runtime.json'), { force: true });
  };

  try {
    const staffKey = loadStaffKey(dataDir);
    const secret = loadAppSecret(dataDir, LOCAL_REGION, LOCAL_ACCOUNT);
    const systemSecrets = loadSystemSecrets(
      dataDir,
      LOCAL_REGION,
      LOCAL_ACCOUNT,
      httpSystems().map(secretOf),
    );
    let invoke: ReturnType<typeof createInvoker> | undefined;

    // Built in memory at every start, so a fresh clone's `npm start` serves the current pages with no build step.
    const assets = await buildConsole();
    // The API answers /health (503) from the first moment, so a waiting client sees progress, not refusals.
    const api = createApiServer({
      routes: API_ROUTES,
      assets,
      staffKey,
      login: createLocalLogin(staffKey),
      accountId: LOCAL_ACCOUNT,
      trustForwardedFor: process.env.LOCAL_TRUST_FORWARDED_FOR === '1',
      health: () => ({
        ready: state === 'ready',
        body: { status: state, ...(info ? { services: serviceUrls(info) } : {}) },
      }),
      invoke: (route, event) => {
        if (!invoke) throw new Error('not ready');
        return invoke.invoke(route.entry, event);
      },
    });
    const apiPort = await listen(api, options.ports.api, host);
    closers.push(() => closeServer(api));

    let retention: { arn: string; run(runId: string, dryRun: boolean): void } | undefined;
    const aws = createAwsEndpoint({
      stepFunctions: () => engine,
      secrets: [secret, ...systemSecrets],
      retention: () => retention,
    });
    const awsPort = await listen(aws, options.ports.aws, host);
    closers.push(() => closeServer(aws));

    const dynamodbPort = options.ports.dynamodb || (await freePort());
    const dynamoStarting = startDynamoDb({ port: dynamodbPort, dbPath: join(dataDir, 'dynamodb') });
    // Synthesis is CPU-bound (seconds); Java boots meanwhile.
    const machineLoading = stack
      ? Promise.resolve(
          resolveStateMachine(stack.template, {
            stackName: stack.stackName,
            name: `${stack.stackName}-Request`,
          }),
        )
      : synthesizeStateMachine(options.root);
    machineLoading.catch(() => {});
    const dynamo = await dynamoStarting;
    closers.push(() => dynamo.stop());

    const s3 = await startS3({
      port: options.ports.s3,
      host,
      dir: join(dataDir, 's3'),
      buckets: Object.values(BUCKETS),
    });
    closers.push(() => s3.close());

    const configurationSet = 'jsm-privacy-local';
    const owners = playTaskOwners(log, `http://localhost:${apiPort}`);
    const ses = await startSes({
      port: options.ports.ses,
      host,
      dir: join(dataDir, 'ses'),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
      configurationSet,
      onMail: owners,
      // As on AWS: the configuration set's event destination publishes to SNS, which invokes MailEvents (P10).
      onEvent: async (event) => {
        const messageId = (event.detail.mail as { messageId?: string } | undefined)?.messageId;
        log(`[ses] ${event['detail-type']} (mailbox simulator) for message ${messageId}`);
        if (!invoke) return;
        const topic = `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${configurationSet}-events`;
        await invoke.invoke(MAIL_EVENTS.entry, snsEventOf(event, topic));
      },
    });
    closers.push(() => ses.close());
    // The fault switch (local/faults.ts): inert unless <data dir>/faults.json switches something on.
    const faults = new FaultSwitch(dataDir, log);
    guardServer(
      ses.server,
      'ses',
      faults,
      (req) => req.method === 'POST' && /^\/v2\/email\//.test(req.url ?? ''),
    );

    // The register's recipients as real endpoints (P13); RECIPIENTS_UNRESPONSIVE lists ids that start down.
    const recipients = createRecipientsServer({
      ids: loadRecipients().recipients.map((r) => r.id),
      dir: join(dataDir, 'recipients'),
      down: (process.env.RECIPIENTS_UNRESPONSIVE ?? '').split(',').filter(Boolean),
      log,
    });
    guardServer(
      recipients.server,
      'recipients',
      faults,
      (req) => req.method === 'POST' && /\/notices$/.test(req.url ?? ''),
    );
    const recipientsPort = await listen(recipients.server, options.ports.recipients ?? 0, host);
    closers.push(() => closeServer(recipients.server));

    const urlOf = (port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    // Each configured system with demo records is a real service of its own (P17), on its own port.
    const systems: Record<string, string> = {};
    for (const config of httpSystems()) {
      const seed = join(options.root, DEMO_SYSTEMS_DIR, `${config.name}.json`);
      if (!existsSync(seed)) continue;
      const rest = createRestSystem({
        config,
        seed: JSON.parse(readFileSync(seed, 'utf8')),
        file: join(dataDir, 'systems', `${config.name}.json`),
        secret: systemSecrets.find((s) => s.name === config.auth.secret)?.value ?? '',
        log,
      });
      const port = await listen(rest.server, options.ports.systems?.[config.name] ?? 0, host);
      closers.push(() => closeServer(rest.server));
      systems[config.name] = `${urlOf(port)}${rest.prefix}`;
      // Always ours, like the recipients: the connector never reaches the file's real address from here.
      process.env[ENV.systemBaseUrl(config.name)] = systems[config.name];
    }
    const apiUrl = urlOf(apiPort);
    setEnvironment({
      dynamodb: dynamo.endpoint,
      ses: urlOf(ses.port),
      s3: urlOf(s3.port),
      aws: urlOf(awsPort),
      apiUrl: `http://localhost:${apiPort}`,
      secretArn: secret.arn,
      configurationSet,
    });
    // Always ours: a base URL left in the shell must not send notices with personal data elsewhere.
    process.env[ENV.recipientsBaseUrl] = urlOf(recipientsPort);

    const client = new DynamoDBClient({});
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    closers.push(async () => client.destroy());
    await createTables(client);
    const executions = new DynamoExecutionStore(doc);
    await executions.init(client);
    const seeded = await seedDemoData(doc, now());

    const machine = await machineLoading;
    // The sources share one environment: Prepare's connector list (every system's function, P17) joins it.
    const listed = Object.values(machine.environments).find((vars) => vars[ENV.connectors]);
    if (!stack && listed) process.env[ENV.connectors] = listed[ENV.connectors];
    let load: Parameters<typeof createInvoker>[0]['load'];
    if (stack) {
      const bundles = bundledFunctions(options.root, stack);
      const byName = new Map<string, BundledFunction>(bundles.map((b) => [b.name, b]));
      const containers = new BundleContainers(
        options.root,
        (fn) => ({
          ...functionEnvironment(fn, bundles, stack, process.env),
          ...(callLog ? { [CALL_LOG_ENV]: callLog } : {}),
        }),
        log,
      );
      closers.push(() => containers.close());
      load = async (fn) => {
        const bundled = byName.get(fn.name);
        if (!bundled)
          throw new LambdaInvokeError(
            'Runtime.ImportModuleError',
            `Error: no bundle in cdk.out for ${fn.entry}`,
          );
        return (event, context) => containers.invoke(bundled, event, context);
      };
    }
    invoke = createInvoker({
      root: options.root,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
      functions: machine.functions,
      ...(load ? { load } : {}),
    });
    engine = new LocalStepFunctions({
      stateMachine: { name: machine.name, definition: machine.definition },
      invoke: faultyInvoke(
        faults,
        // The delay knob (local/delays.ts): inert unless delays.json or LOCAL_SYSTEM_DELAY_MS sets one.
        delayedInvoke(new DelaySwitch(dataDir), (ref, payload) => (invoke as Invoker).invoke(ref, payload)),
        (ref) => (invoke as Invoker).find(ref)?.timeoutSeconds ?? 3,
        log,
      ),
      store: executions,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT,
      clock: now,
      log,
      onEnd: (record) => onExecutionEnd(record, invoke as Invoker, log),
      ...retryInterval(log),
    });
    process.env[ENV.stateMachineArn] = engine.stateMachineArn;
    const running = engine;
    closers.push(() => running.close());
    const resumed = await engine.start();
    closers.push(startSchedules(invoke, log));
    // The retention sweep (P11): once now, before the runtime says it is ready, then daily.
    const sweepInvoker = invoke;
    closers.push(
      await startRetentionSweep((entry, event) => sweepInvoker.invoke(entry, event), log, {
        dryRun: process.env.LOCAL_RETENTION_DRY_RUN === '1',
        now,
      }),
    );
    // Runs staff start (POST /admin/sweeps/retention), by the same runner; closing waits for them.
    const staffRuns = new Set<Promise<unknown>>();
    const retentionArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:local-RetentionSweep`;
    process.env[ENV.retentionStateMachineArn] = retentionArn;
    retention = {
      arn: retentionArn,
      run(runId, dryRun) {
        const run = runRetentionSweep((entry, event) => sweepInvoker.invoke(entry, event), {
          runId,
          dryRun,
          now,
        })
          .catch((error: Error) => log(`[retention] run ${runId} failed: ${error.name}`))
          .finally(() => staffRuns.delete(run));
        staffRuns.add(run);
      },
    };
    closers.push(async () => {
      retention = undefined;
      await Promise.all(staffRuns);
    });

    info = {
      pid: process.pid,
      api: apiUrl,
      ses: urlOf(ses.port),
      s3: urlOf(s3.port),
      dynamodb: dynamo.endpoint,
      aws: urlOf(awsPort),
      recipients: urlOf(recipientsPort),
      systems,
      dataDir,
      stateMachineArn: engine.stateMachineArn,
      dynamodbPid: javaPid(dataDir),
      clock: now().toISOString(),
      seeded,
      resumed,
      handlers: stack ? 'bundles' : 'sources',
    };
    writeFileSync(join(dataDir, 'runtime.json'), `${JSON.stringify(info, null, 2)}\n`);
    state = 'ready';
    // A task mail whose answer a stop cut short is still in the owner's inbox: they answer it now (P17).
    void Promise.all(ses.mails().map(owners));
    return { info, close };
  } catch (error) {
    await close();
    throw error;
  }
}

interface Endpoints {
  dynamodb: string;
  ses: string;
  s3: string;
  aws: string;
  apiUrl: string;
  secretArn: string;
  configurationSet: string;
}

/**
 * Points every AWS SDK client of this process at the local services and gives the handlers the configuration
 * the stack gives them on AWS. Business settings (rate limits, senders, log level) keep any value already set.
 */
function setEnvironment(e: Endpoints): void {
  const env = process.env;
  // Never real credentials or a real endpoint: whatever the shell has, the handlers talk to local services.
  for (const name of [
    'AWS_PROFILE',
    'AWS_SESSION_TOKEN',
    'AWS_ENDPOINT_URL',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ])
    delete env[name];
  Object.assign(env, {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: e.dynamodb,
    AWS_ENDPOINT_URL_SESV2: e.ses,
    AWS_ENDPOINT_URL_SES: e.ses,
    AWS_ENDPOINT_URL_S3: e.s3,
    AWS_ENDPOINT_URL_SFN: e.aws,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: e.aws,
    AWS_SES_ACCOUNT: JSON.stringify(SES_ACCOUNT),
    ...tableEnvironment(),
    [ENV.exportBucket]: BUCKETS.exports,
    [ENV.auditBucket]: BUCKETS.auditHeads,
    [ENV.appSecretArn]: e.secretArn,
    [ENV.sesConfigurationSet]: e.configurationSet,
    POWERTOOLS_SERVICE_NAME: 'privacy-rights',
    POWERTOOLS_METRICS_NAMESPACE: 'PrivacyRights',
  });
  const defaults: Record<string, string> = {
    [ENV.mailFrom]: 'privacy@jsm.be',
    [ENV.staffInbox]: 'privacy-team@jsm.be',
    [ENV.publicBaseUrl]: e.apiUrl,
    // the stack's defaults (functions/core/config.ts)
    [ENV.rateLimitPerAddress]: String(RATE_LIMIT_DEFAULTS.perAddress),
    [ENV.rateLimitPerSource]: String(RATE_LIMIT_DEFAULTS.perSource),
    [ENV.rateLimitWindowSeconds]: String(RATE_LIMIT_DEFAULTS.windowSeconds),
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  for (const [name, value] of Object.entries(defaults)) if (!env[name]) env[name] = value;
}

const SES_ACCOUNT = {
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'TRANSACTIONAL',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'Data-subject rights requests (local runtime)',
    WebsiteURL: 'https://www.jsm.be',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
};

/** Makes the data directory; with `fresh`, empties it first, keeping the staff signing key. */
export function prepareDataDir(dataDir: string, fresh: boolean): void {
  if (existsSync(dataDir)) {
    const entries = readdirSync(dataDir);
    // The staff key alone is fine: `npm run staff-token` may run before the first start.
    if (entries.some((e) => e !== STAFF_KEY_FILE) && !entries.includes(MARKER)) {
      throw new Error(
        `${dataDir} is not empty and not a data directory of this runtime; choose another --data-dir`,
      );
    }
    const owner = runningOwner(dataDir);
    if (owner !== undefined) {
      throw new Error(
        `Another runtime (pid ${owner}) uses ${dataDir}; stop it first (Ctrl-C) or use another --data-dir`,
      );
    }
    if (fresh) {
      for (const entry of entries) {
        if (entry !== MARKER && entry !== STAFF_KEY_FILE)
          rmSync(join(dataDir, entry), { recursive: true, force: true });
      }
    }
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, MARKER),
    'Data directory of the JSM privacy-rights local runtime (npm start).\n',
  );
}

// runtime.json names the process that runs on this directory; it is removed on a clean stop.
function runningOwner(dataDir: string): number | undefined {
  const path = join(dataDir, 'runtime.json');
  if (!existsSync(path)) return undefined;
  try {
    const { pid } = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
    if (!pid || pid === process.pid) return undefined;
    process.kill(pid, 0);
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('local/main.ts') ? pid : undefined;
  } catch {
    return undefined;
  }
}

function javaPid(dataDir: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(join(dataDir, 'dynamodb.pid'), 'utf8')) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}

function serviceUrls(info: RuntimeInfo) {
  return {
    api: info.api,
    ses: info.ses,
    s3: info.s3,
    dynamodb: info.dynamodb,
    aws: info.aws,
    recipients: info.recipients,
    systems: info.systems,
  };
}

/** Configured systems reached over HTTP, and the secret each one's file names. */
const httpSystems = () => configuredSystems().filter((c): c is HttpSystem => c.kind === 'http');
const secretOf = (c: HttpSystem) => ({ name: c.auth.secret, kind: c.auth.type });

/**
 * EventBridge rules on the workflow's end: each WORKFLOW_EVENTS handler whose statuses include the execution's,
 * invoked with the "Step Functions Execution Status Change" event AWS sends (P9: no silent failure).
 */
function onExecutionEnd(record: ExecutionRecord, invoker: Invoker, log: (line: string) => void): void {
  for (const rule of WORKFLOW_EVENTS) {
    if (!(rule.statuses as string[]).includes(record.status)) continue;
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: LOCAL_ACCOUNT,
      time: now().toISOString(),
      region: LOCAL_REGION,
      resources: [record.executionArn],
      detail: {
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: record.startDate,
        stopDate: record.stopDate ?? null,
        input: record.input,
      },
    };
    invoker
      .invoke(rule.entry, event)
      .catch((error: Error) => log(`[events] ${rule.id} failed: ${error.name}`));
  }
}

/**
 * LOCAL_RETRY_INTERVAL_MS (the fault suites): every Retry of the workflow waits that long between attempts, not its
 * IntervalSeconds × BackoffRate; the attempts, errors and catches stay the synthesized ASL's.
 */
function retryInterval(log: (line: string) => void): { retryIntervalMs?: number } {
  const text = process.env.LOCAL_RETRY_INTERVAL_MS;
  if (text === undefined || text === '') return {};
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 0)
    throw new Error(`LOCAL_RETRY_INTERVAL_MS ${text} is not a whole number of ms`);
  log(`[sfn] every Retry waits ${ms} ms between attempts (LOCAL_RETRY_INTERVAL_MS), not the ASL's back-off`);
  return { retryIntervalMs: ms };
}

/**
 * EventBridge schedules: every SCHEDULES handler on a timer, invoked with a scheduled event as on AWS, and once at
 * start-up, since a sweep missed while the runtime was down is made good at once (DESIGN: Scheduled work).
 * LOCAL_SCHEDULE_EVERY_MS overrides every period, for tests and demos.
 */
function startSchedules(invoker: Invoker, log: (line: string) => void): () => Promise<void> {
  const timers = new Map<string, LongTimer>();
  let stopped = false;
  for (const schedule of SCHEDULES) {
    const every = Number(process.env.LOCAL_SCHEDULE_EVERY_MS) || rateMs(schedule.schedule);
    const tick = () => {
      const event = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: LOCAL_ACCOUNT,
        time: now().toISOString(),
        region: LOCAL_REGION,
        resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${schedule.id}`],
        detail: {},
      };
      invoker
        .invoke(schedule.entry, event)
        .catch((error: Error) => log(`[schedule] ${schedule.id} failed: ${error.name}`))
        .finally(() => {
          if (!stopped) timers.set(schedule.id, setLongTimeout(tick, every));
        });
    };
    timers.set(schedule.id, setLongTimeout(tick, 0));
  }
  return async () => {
    stopped = true;
    for (const timer of timers.values()) timer.cancel();
  };
}

/** Milliseconds of an EventBridge `rate(n unit)` expression; the local runtime runs no cron expressions. */
export function rateMs(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) throw new Error(`The local runtime runs rate(...) schedules only, not ${expression}`);
  const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[match[2]?.replace(/s$/, '') as 'minute'];
  return Number(match[1]) * unit;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
