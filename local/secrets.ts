// Local Secrets Manager, as far as the handlers need it: GetSecretValue of the application secret, which is
// generated once and kept in the data directory (a restart must not change the HMACs of stored data).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const APP_SECRET_NAME = 'jsm-privacy/app-secret';
const FILE = 'app-secret.json';

export interface LocalSecret {
  arn: string;
  name: string;
  value: string;
  versionId: string;
  createdDate: number;
}

/** Loads the application secret of the data directory, generating it on first start. */
export function loadAppSecret(dataDir: string, region: string, accountId: string): LocalSecret {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    const created = {
      value: randomBytes(48).toString('base64url'),
      versionId: crypto.randomUUID(),
      // six characters after the name, as Secrets Manager appends to every secret ARN
      suffix: randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 6),
      createdDate: Date.now(),
    };
    writeFileSync(path, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(path, 'utf8')) as {
    value: string;
    versionId: string;
    suffix: string;
    createdDate: number;
  };
  return {
    arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${APP_SECRET_NAME}-${stored.suffix}`,
    name: APP_SECRET_NAME,
    value: stored.value,
    versionId: stored.versionId,
    createdDate: stored.createdDate,
  };
}

const SYSTEMS_FILE = 'system-secrets.json';

/**
 * The secret each configured system's file names (P17), generated once per data directory: an API key, or an
 * OAuth2 client's id and secret as JSON. The local service demands it and Secrets Manager serves it, by name.
 */
export function loadSystemSecrets(
  dataDir: string,
  region: string,
  accountId: string,
  wanted: { name: string; kind: 'api_key' | 'oauth2_client_credentials' }[],
): LocalSecret[] {
  const path = join(dataDir, SYSTEMS_FILE);
  const stored = (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {}) as Record<
    string,
    { value: string; versionId: string; suffix: string; createdDate: number }
  >;
  let changed = false;
  for (const { name, kind } of wanted) {
    if (stored[name]) continue;
    const value =
      kind === 'api_key'
        ? randomBytes(32).toString('base64url')
        : JSON.stringify({
            clientId: `local-${randomBytes(6).toString('hex')}`,
            clientSecret: randomBytes(32).toString('base64url'),
          });
    stored[name] = {
      value,
      versionId: crypto.randomUUID(),
      suffix: randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 6),
      createdDate: Date.now(),
    };
    changed = true;
  }
  if (changed) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return wanted.map(({ name }) => {
    const s = stored[name] as NonNullable<(typeof stored)[string]>;
    return {
      arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${s.suffix}`,
      name,
      value: s.value,
      versionId: s.versionId,
      createdDate: s.createdDate,
    };
  });
}
