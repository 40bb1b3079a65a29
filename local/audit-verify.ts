// `npm run audit-verify -- <request or opt-out id> | --all [--data-dir dir | --aws]`: verifies audit chains, each
// link and against the newest head in the write-once bucket, with the check the staff detail view uses
// (core/audit.ts verifyChain). Prints per chain intact or broken (ids and counts only); exits 1 on any break.
// Until `dsr audit verify` exists. Locally the runtime must be running (its data directory's runtime.json).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_REGION } from './asl.ts';
import { BUCKETS } from './runtime.ts';
import { S3RVER_CREDENTIALS } from './s3.ts';
import { tableEnvironment } from './tables.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const USAGE = 'Usage: npm run audit-verify -- <id> | --all [--data-dir dir | --aws]\n';

function useLocalRuntime(dataDir: string): void {
  const file = join(dataDir, 'runtime.json');
  if (!existsSync(file))
    throw new Error(`No local runtime is running on ${dataDir} (start it with npm start)`);
  const info = JSON.parse(readFileSync(file, 'utf8')) as { dynamodb: string; s3: string };
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']) delete process.env[name];
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: info.dynamodb,
    AWS_ENDPOINT_URL_S3: info.s3,
    AUDIT_BUCKET: BUCKETS.auditHeads,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    ...tableEnvironment(),
  });
}

/** Every chain id: those in the audit table and those with a stored head (a chain deleted whole has only that). */
async function allChains(): Promise<string[]> {
  const { documentClient, s3Client } = await import('../functions/aws/clients.ts');
  const { ENV, env } = await import('../functions/core/config.ts');
  const ids = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new ScanCommand({
        TableName: env(ENV.auditTable),
        ProjectionExpression: 'requestId',
        ExclusiveStartKey: start,
      }),
    );
    for (const i of out.Items ?? [])
      if (!String(i.requestId).startsWith('fact#')) ids.add(String(i.requestId));
    start = out.LastEvaluatedKey;
  } while (start);
  let token: string | undefined;
  do {
    const out = await s3Client().send(
      new ListObjectsV2Command({ Bucket: env(ENV.auditBucket), Prefix: 'heads/', ContinuationToken: token }),
    );
    for (const o of out.Contents ?? []) if (o.Key) ids.add(o.Key.split('/')[1] ?? '');
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  ids.delete('');
  return [...ids].sort();
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      all: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      aws: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || (!values.all && positionals.length !== 1)) {
    process.stderr.write(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  if (!values.aws) useLocalRuntime(resolve(values['data-dir'] ?? resolve(root, '.local')));
  const { auditChain, chainHeads } = await import('../functions/wiring.ts');
  const { verifyChain } = await import('../functions/core/audit.ts');
  const ids = values.all ? await allChains() : positionals;
  let broken = 0;
  for (const id of ids) {
    const check = verifyChain(await auditChain(id), await chainHeads(id));
    if (!check.intact) broken += 1;
    const where = check.intact ? '' : ` at ${check.brokenAt}`;
    process.stdout.write(`${id} ${check.intact ? 'intact' : 'broken'}${where} (${check.entries} entries)\n`);
  }
  process.stdout.write(`${ids.length} chains, ${broken} broken\n`);
  process.exit(broken > 0 ? 1 : 0);
}

await main();
