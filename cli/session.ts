// Where `dsr login` keeps the staff token: a file only its owner reads, one token per endpoint. DSR_TOKEN wins.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Session {
  token: string;
  expiresAt: string;
  username: string;
}

type Env = Record<string, string | undefined>;

const fileOf = (env: Env) => join(env.DSR_CONFIG_DIR || join(homedir(), '.config', 'dsr'), 'sessions.json');

function readAll(env: Env): Record<string, Session> {
  const file = fileOf(env);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Session>;
  } catch {
    return {};
  }
}

/** The staff token for `endpoint`: DSR_TOKEN, else an unexpired one from `dsr login`. */
export function tokenFor(env: Env, endpoint: string, now = Date.now()): string | undefined {
  if (env.DSR_TOKEN) return env.DSR_TOKEN;
  const session = readAll(env)[endpoint];
  return session && Date.parse(session.expiresAt) > now ? session.token : undefined;
}

export function saveSession(env: Env, endpoint: string, session: Session): void {
  const file = fileOf(env);
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ ...readAll(env), [endpoint]: session }, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}
