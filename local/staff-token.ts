// `npm run --silent staff-token -- --role approver [--sub name] [--data-dir dir] [--ttl seconds]`: prints a staff
// token the local API accepts, shaped like the Cognito ID token the deployed API expects.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Role } from '../functions/registry.ts';
import { loadStaffKey, STAFF_ROLES, signStaffToken } from './staff-auth.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      'data-dir': { type: 'string' },
      ttl: { type: 'string' },
    },
  });
  const role = values.role as Role | undefined;
  if (!role || !STAFF_ROLES.includes(role)) {
    process.stderr.write(
      `Usage: npm run --silent staff-token -- --role ${STAFF_ROLES.join('|')} [--sub name] [--data-dir dir] [--ttl seconds]\n`,
    );
    process.exit(2);
  }
  const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl <= 0))
    throw new Error('--ttl must be a positive number of seconds');
  const key = loadStaffKey(resolve(values['data-dir'] ?? resolve(root, '.local')));
  const token = await signStaffToken(key, {
    role,
    ...(values.sub ? { sub: values.sub } : {}),
    ...(ttl ? { ttlSeconds: ttl } : {}),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
