// Signing in (the local login; on AWS a Cognito ID token in DSR_TOKEN) and requests received by letter or e-mail (P4).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { type Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { RegisterRequestBody } from '../../functions/core/register.ts';
import { checked, type RequestFields, requestBody } from '../bodies.ts';
import { type Context, callOf } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { fields, print, table } from '../output.ts';
import { bar } from '../progress.ts';
import { saveSession } from '../session.ts';

/** The CSV columns `dsr register --csv` reads; `changes` as field=value;field=value. */
export const CSV_COLUMNS = [
  'type',
  'email',
  'language',
  'channel',
  'receivedAt',
  'postalAddress',
  'scope',
  'changes',
] as const;

/** The rows of a registration CSV as request bodies, each checked; a bad row is a usage error naming its line. */
export function csvBodies(text: string): Record<string, unknown>[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    throw new CliError(`Not a readable CSV: ${(e as Error).message.split('\n')[0]}`, EXIT.usage);
  }
  const unknown = Object.keys(rows[0] ?? {}).filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0)
    throw new CliError(
      `Unknown CSV column ${unknown[0]}; the columns are ${CSV_COLUMNS.join(', ')}`,
      EXIT.usage,
    );
  return rows.map((row, i) => {
    const body = requestBody(row as RequestFields);
    // Line 1 is the header.
    checked(RegisterRequestBody, body, `line ${i + 2}: `);
    return body;
  });
}

/** Asks on the terminal; a `hidden` answer (a password) is not echoed as it is typed. */
export async function ask(
  question: string,
  options: { hidden?: boolean; input?: Readable; output?: NodeJS.WritableStream; terminal?: boolean } = {},
): Promise<string> {
  const { input = process.stdin, output = process.stderr } = options;
  let muted = false;
  const shown = new Writable({
    write(chunk, encoding, done) {
      if (!muted) output.write(chunk, encoding);
      done();
    },
  });
  const terminal = options.terminal ?? Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output: shown, terminal });
  try {
    const answer = rl.question(question);
    muted = options.hidden === true;
    return await answer;
  } finally {
    rl.close();
    if (muted) output.write('\n');
  }
}

export function staffCommands(program: Command, ctx: Context): void {
  program
    .command('login')
    .description('Sign in with the local login (POST /console/login); the token is kept per endpoint')
    .option('--user <name>', 'viewer | approver | admin', 'admin')
    .option('--password <password>', 'else DSR_PASSWORD, else asked')
    .option('--print', 'print the token instead of keeping it (for DSR_TOKEN)')
    .action(async (opts: { user: string; password?: string; print?: boolean }, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const password = opts.password ?? ctx.env.DSR_PASSWORD ?? (await ask('Password: ', { hidden: true }));
      const res = await call.client.send('POST', '/console/login', {
        body: { username: opts.user, password },
      });
      const answer = (await res.json()) as { idToken: string; expiresIn: number };
      const expiresAt = new Date(Date.now() + answer.expiresIn * 1000).toISOString();
      if (opts.print) return call.io.out(`${answer.idToken}\n`);
      saveSession(ctx.env, call.endpoint, { token: answer.idToken, expiresAt, username: opts.user });
      print(call.io, call.json, { user: opts.user, endpoint: call.endpoint, expiresAt }, (a) => fields(a));
    });

  program
    .command('register')
    .description('Register a request received by letter or e-mail (approver, P4); --csv for many')
    .argument('[type]', 'access | portability | rectification | erasure | objection')
    .option('--csv <file>', `one request per row; columns ${CSV_COLUMNS.join(', ')}`)
    .option('--email <address>', "the subject's e-mail address, if known")
    .option('--postal-address <address>', "the subject's postal address")
    .option('--language <lang>', 'nl | fr | en')
    .option('--channel <channel>', 'letter | email', 'letter')
    .option('--received-at <instant>', 'when it arrived, ISO 8601 (default now)')
    .option('--scope <scopes>', 'objection: the scopes')
    .option('--change <field=value>', 'rectification: a change (repeatable)', (v, p: string[] = []) => [
      ...p,
      v,
    ])
    .action(
      async (type: string | undefined, opts: RequestFields & { csv?: string; change?: string[] }, cmd) => {
        const call = callOf(ctx, cmd as Command);
        let bodies: Record<string, unknown>[];
        if (opts.csv) {
          if (type) throw new CliError('Give either a type or --csv, not both', EXIT.usage);
          let text: string;
          try {
            text = readFileSync(opts.csv, 'utf8');
          } catch {
            throw new CliError(`Cannot read ${opts.csv}`, EXIT.usage);
          }
          bodies = csvBodies(text);
        } else {
          if (!type) throw new CliError('A type, or --csv <file>', EXIT.usage);
          const receivedAt = opts.receivedAt ?? new Date().toISOString();
          const body = requestBody({ ...opts, type, receivedAt, changes: opts.change });
          checked(RegisterRequestBody, body);
          bodies = [body];
        }
        const progress = bar(call.io, !call.json && bodies.length > 1, bodies.length, 'registering');
        const results: Record<string, unknown>[] = [];
        let failed = 0;
        for (const [i, body] of bodies.entries()) {
          // The same row sent again (a rerun after a crash) gets the first answer, not a second request.
          const key = `dsr-register-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 40)}`;
          try {
            const a = await call.client.json('POST', '/admin/requests', {
              staff: true,
              body,
              idempotencyKey: key,
            });
            results.push({ row: i + 1, id: a.id, status: a.status, dueAt: a.dueAt });
          } catch (e) {
            if (!(e instanceof CliError) || bodies.length === 1) throw e;
            failed += 1;
            results.push({ row: i + 1, error: e.message });
          }
          progress.tick();
        }
        progress.stop();
        print(call.io, call.json, results, (r) => table(r, ['row', 'id', 'status', 'dueAt', 'error']));
        if (failed > 0) throw new CliError(`${failed} of ${bodies.length} not registered`, EXIT.failed);
      },
    );
}
