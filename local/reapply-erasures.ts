// `npm run reapply-erasures -- --since <restore point> [--data-dir dir | --aws]`: after a table was restored from
// a backup, makes again every erasure the ledger recorded since the restore point (P3). Against the local runtime
// (it must be running: the data directory's runtime.json names its endpoints) or, with --aws, against whatever
// the environment names: AWS credentials and region, the table names (REQUESTS_TABLE, AUDIT_TABLE,
// ERASURES_TABLE, <SYSTEM>_TABLE) and APP_SECRET_ARN, as the stack gives its Lambdas. Prints counts only.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './asl.ts';
import type { RuntimeInfo } from './runtime.ts';
import { S3RVER_CREDENTIALS } from './s3.ts';
import { loadAppSecret } from './secrets.ts';
import { tableEnvironment } from './tables.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const USAGE =
  'Usage: npm run reapply-erasures -- --since <ISO 8601 restore point> [--data-dir dir | --aws]\n' +
  '  --since     the instant the restored table was restored to; erasures from then on are made again\n' +
  '  --data-dir  the local runtime to act on (default .local/); it must be running\n' +
  '  --aws       act on the AWS account the environment names (see docs/RUNBOOK.md)\n';

/** Points this process at the running local runtime, as the runtime points its handlers. */
function useLocalRuntime(dataDir: string): void {
  const file = join(dataDir, 'runtime.json');
  if (!existsSync(file))
    throw new Error(`No local runtime is running on ${dataDir} (start it with npm start)`);
  const info = JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
  const secret = loadAppSecret(dataDir, LOCAL_REGION, LOCAL_ACCOUNT);
  // The runtime's clock ran on from its start (CLOCK_START) since runtime.json was written.
  const clock = new Date(Date.parse(info.clock) + (Date.now() - statSync(file).mtimeMs));
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']) delete process.env[name];
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: info.dynamodb,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: info.aws,
    APP_SECRET_ARN: secret.arn,
    CLOCK_START: clock.toISOString(),
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    ...tableEnvironment(),
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      since: { type: 'string' },
      'data-dir': { type: 'string' },
      aws: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const since = values.since ? new Date(values.since) : undefined;
  if (values.help || !since || Number.isNaN(since.getTime())) {
    process.stderr.write(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  if (!values.aws) useLocalRuntime(resolve(values['data-dir'] ?? resolve(root, '.local')));
  // Imported after the environment is set: the wiring reads it on first use.
  const { allConnectors } = await import('../functions/connectors/wiring.ts');
  const { now } = await import('../functions/core/clock.ts');
  const { reapplyErasures } = await import('../functions/core/erasure-ledger.ts');
  const { appSecret, audit, erasureLedger } = await import('../functions/wiring.ts');
  const result = await reapplyErasures(
    { connectors: allConnectors(), ledger: erasureLedger(), audit: audit(), secret: await appSecret(), now },
    since,
  );
  process.stdout.write(`${JSON.stringify({ since: since.toISOString(), ...result })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).name}: ${(error as Error).message}\n`);
  process.exit(1);
});
