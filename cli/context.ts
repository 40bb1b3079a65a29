// What every command gets: the client for --endpoint with the staff token, --json, and where to print.
import type { Command } from 'commander';
import { Client } from './client.ts';
import { CliError, EXIT } from './errors.ts';
import type { Io } from './output.ts';
import { tokenFor } from './session.ts';

export type Env = Record<string, string | undefined>;

export interface Context {
  io: Io;
  env: Env;
}

export interface Call {
  client: Client;
  json: boolean;
  io: Io;
  env: Env;
  endpoint: string;
}

export const DEFAULT_ENDPOINT = 'http://localhost:3000';

/** The endpoint, token and output mode for one command, from its options and the program's. */
export function callOf(ctx: Context, cmd: Command): Call {
  const opts = cmd.optsWithGlobals() as { endpoint?: string; json?: boolean };
  const endpoint = (opts.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(endpoint) || !URL.canParse(endpoint))
    throw new CliError(`--endpoint must be an http(s) URL, not "${endpoint.slice(0, 80)}"`, EXIT.usage);
  return {
    client: new Client({ endpoint, token: tokenFor(ctx.env, endpoint) }),
    json: Boolean(opts.json),
    io: ctx.io,
    env: ctx.env,
    endpoint,
  };
}

/** A positive whole number from an option, or a usage error. */
export function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new CliError(`${name} must be a positive whole number`, EXIT.usage);
    return n;
  };
}
