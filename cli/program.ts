// The `dsr` command: one commander program for the privacy team and operators, on the same API locally or on AWS.
// run() answers the exit code instead of exiting, so tests can drive it in-process too.
import { Command, CommanderError } from 'commander';
import { opsCommands } from './commands/ops.ts';
import { requestCommands } from './commands/requests.ts';
import { staffCommands } from './commands/staff.ts';
import { type Context, DEFAULT_ENDPOINT } from './context.ts';
import { CliError, EXIT, type ExitCode } from './errors.ts';

export function buildProgram(ctx: Context): Command {
  const program = new Command('dsr')
    .description('Data-subject requests of JSM BV: file, follow, decide, audit, sweep')
    .version('0.1.0')
    .option('--endpoint <url>', 'the API (env DSR_ENDPOINT)', ctx.env.DSR_ENDPOINT || DEFAULT_ENDPOINT)
    .option('--json', 'print JSON for scripts instead of tables')
    .exitOverride()
    .configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err })
    .showHelpAfterError('(dsr --help for usage)');
  requestCommands(program, ctx);
  staffCommands(program, ctx);
  opsCommands(program, ctx);
  program.addHelpText(
    'after',
    '\nEnvironment: DSR_ENDPOINT, DSR_TOKEN (a staff token; else `dsr login`), DSR_PASSWORD.\n' +
      'Exit codes: 0 done, 1 failed, 2 usage, 3 not found, 4 forbidden.\n',
  );
  return program;
}

/** Runs `dsr` with `args` (without node and the script); answers the exit code. */
export async function run(args: string[], ctx: Context): Promise<ExitCode> {
  const program = buildProgram(ctx);
  try {
    if (args.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(args, { from: 'user' });
    return EXIT.done;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.done : EXIT.usage;
    if (e instanceof CliError) {
      ctx.io.err(`dsr: ${e.message}\n`);
      return e.code;
    }
    // Never a stack trace: the name tells an operator what kind of fault it was.
    ctx.io.err(`dsr: unexpected ${(e as Error)?.name ?? 'error'}: ${(e as Error)?.message ?? String(e)}\n`);
    return EXIT.failed;
  }
}
