// The `dsr` command as an operator runs it: a child process of its bin (cli/dsr.mjs), with its own environment.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = resolve(fileURLToPath(new URL('../../cli/dsr.mjs', import.meta.url)));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as JSON (for --json runs) */
  json: <T = Record<string, unknown>>() => T;
}

/** Runs `dsr args…` against `endpoint`, with `env` (DSR_TOKEN, DSR_CONFIG_DIR…); resolves whatever the exit code. */
export function dsr(endpoint: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const base = { ...process.env };
  delete base.DSR_TOKEN;
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...base, DSR_ENDPOINT: endpoint, NO_COLOR: '1', ...env }, timeout: 180_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0;
        if (code === undefined) return fail(error);
        done({ code, stdout, stderr, json: () => JSON.parse(stdout) });
      },
    );
  });
}
