// `npm start`: the whole pipeline on one machine. Flags: --fresh, --data-dir <dir>, --clock <iso>, --free-ports,
// --bundles (the Lambda bundles of cdk.out instead of the TypeScript sources).
// Ports from PORT, DYNAMODB_PORT, SES_PORT, S3_PORT, AWS_LOCAL_PORT, RECIPIENTS_PORT (0 picks a free one).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BundlesUnavailableError } from './bundles.ts';
import { DEFAULT_PORTS, type Ports, READY_PREFIX, type RuntimeInfo, startLocalRuntime } from './runtime.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

function portFrom(name: string, fallback: number, free: boolean): number {
  if (free) return 0;
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name}=${raw} is not a port`);
  return port;
}

function banner(info: RuntimeInfo): string {
  const show = (url: string) => url.replace('127.0.0.1', 'localhost');
  const api = show(info.api);
  const ses = show(info.ses);
  return [
    '',
    'JSM privacy-rights pipeline: local runtime is up',
    `  API (API Gateway)          ${api}   GET /health, GET /openapi.json`,
    `  SES inbox                  ${ses}   GET /store (mails), GET /events (simulated bounces, complaints)`,
    `  DynamoDB Local             ${show(info.dynamodb)}`,
    `  S3 (s3rver, path-style)    ${show(info.s3)}`,
    `  Step Functions + Secrets   ${show(info.aws)}   ${info.stateMachineArn} (synthesized by CDK)`,
    `  Recipients (processors)    ${show(info.recipients)}   RECIPIENTS_BASE_URL: POST /<id>/notices, GET /<id>/received`,
    ...Object.entries(info.systems).map(
      ([name, url]) =>
        `  ${`System ${name}`.padEnd(27)}${show(url)}   configured in config/systems/${name}.json`,
    ),
    `  Data                       ${info.dataDir}   ${info.seeded ? 'seeded with demo data' : 'kept from the last run'}${info.resumed ? `, ${info.resumed} execution(s) resumed` : ''}`,
    `  Clock                      ${info.clock}`,
    `  Handlers                   ${info.handlers === 'bundles' ? 'the Lambda bundles of cdk.out (--bundles)' : 'the TypeScript sources'}`,
    '',
    // No demo subject's address here: logs are checked for personal data (P15). README.md has the full tour.
    'Try it (README.md has the two-minute tour with a seeded customer):',
    `  curl -s -X POST ${api}/requests -H 'Content-Type: application/json' \\`,
    `       -d '{"type":"erasure","email":"someone@example.org","language":"en"}'`,
    `  then read the 8-digit code in ${ses} and POST {"code":"..."} to ${api}/requests/<id>/verify`,
    '  staff token: npm run --silent staff-token -- --role approver',
    'Ctrl-C stops everything; data stays in the data directory (npm start -- --fresh starts over).',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fresh: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      clock: { type: 'string' },
      'free-ports': { type: 'boolean', default: false },
      bundles: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'npm start -- [--fresh] [--data-dir <dir>] [--clock <iso>] [--free-ports] [--bundles]\n' +
        '--bundles runs the Lambda bundles of cdk.out (npm run synth) instead of the TypeScript sources.\n' +
        'Ports: PORT (3000), DYNAMODB_PORT (8000), SES_PORT (8005), S3_PORT (8006), AWS_LOCAL_PORT (8007), RECIPIENTS_PORT (8008); 0 = any free port.\n',
    );
    return;
  }
  const free = values['free-ports'] ?? false;
  const ports: Ports = {
    api: portFrom('PORT', DEFAULT_PORTS.api, free),
    dynamodb: portFrom('DYNAMODB_PORT', DEFAULT_PORTS.dynamodb, free),
    ses: portFrom('SES_PORT', DEFAULT_PORTS.ses, free),
    s3: portFrom('S3_PORT', DEFAULT_PORTS.s3, free),
    aws: portFrom('AWS_LOCAL_PORT', DEFAULT_PORTS.aws, free),
    recipients: portFrom('RECIPIENTS_PORT', DEFAULT_PORTS.recipients ?? 8008, free),
  };

  // A failing handler must not take the whole runtime down: on AWS it would fail its own invocation only.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`[runtime] unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
  });

  const runtime = await startLocalRuntime({
    root,
    dataDir: resolve(values['data-dir'] ?? resolve(root, '.local')),
    fresh: values.fresh ?? false,
    ...(values.clock ? { clock: values.clock } : {}),
    ports,
    bundles: values.bundles ?? false,
    ...(process.env.BIND_ADDRESS ? { host: process.env.BIND_ADDRESS } : {}),
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: do not wait; DynamoDB Local's exit hook still ends Java.
      process.stderr.write('[runtime] forced exit\n');
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`\n[runtime] ${signal}: stopping...\n`);
    const force = setTimeout(() => {
      process.stderr.write('[runtime] did not stop within 20 s; exiting\n');
      process.exit(1);
    }, 20_000);
    force.unref();
    runtime.close().then(
      () => {
        process.stdout.write('[runtime] stopped\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`[runtime] stop failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));

  process.stdout.write(banner(runtime.info));
  // One machine-readable line for tools and tests (test/helpers/runtime.ts).
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(runtime.info)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof BundlesUnavailableError) {
    process.stderr.write(`[runtime] could not start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`[runtime] could not start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
