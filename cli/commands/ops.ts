// The operators' commands: audit chains verified (P15), sweeps on demand (P9, P11), a request's files (P1, P7).
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebStream } from 'node:stream/web';
import type { Command } from 'commander';
import { type Call, type Context, callOf, positive } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { fields, print, table } from '../output.ts';
import { bar, spinner } from '../progress.ts';
import { requestId } from './requests.ts';

type Row = Record<string, unknown>;
interface Chain {
  intact: boolean;
  entries: number;
  brokenAt?: number;
}

async function chainOf(call: Call, id: string): Promise<Row> {
  const d = await call.client.json<{ chain: Chain }>('GET', `/admin/requests/${id}`, { staff: true });
  return { id, ...d.chain };
}

async function allIds(call: Call): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await call.client.json<{ items: { id: string }[]; cursor?: string }>(
      'GET',
      '/admin/requests',
      {
        staff: true,
        query: { limit: '100', cursor },
      },
    );
    ids.push(...page.items.map((i) => i.id));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

const chainText = (rows: Row[]) =>
  table(
    rows.map((r) => ({ ...r, intact: r.intact ? 'intact' : 'BROKEN' })),
    ['id', 'intact', 'entries', 'brokenAt'],
  );

export function opsCommands(program: Command, ctx: Context): void {
  const audit = program.command('audit').description('The audit trail (P15)');
  audit
    .command('verify')
    .description("Verify a request's audit chain link by link and against its stored head; exit 1 if broken")
    .argument('[id]', 'request id', requestId)
    .option('--all', 'every request in the queue')
    .action(async (id: string | undefined, opts: { all?: boolean }, cmd: Command) => {
      const call = callOf(ctx, cmd);
      if (!id === !opts.all) throw new CliError('Give a request id or --all', EXIT.usage);
      const ids = id ? [id] : await allIds(call);
      const progress = bar(call.io, !call.json && ids.length > 1, ids.length, 'verifying');
      const rows: Row[] = [];
      for (const each of ids) {
        rows.push(await chainOf(call, each));
        progress.tick();
      }
      progress.stop();
      print(call.io, call.json, id ? rows[0] : rows, (r) => chainText(Array.isArray(r) ? r : [r as Row]));
      const broken = rows.filter((r) => !r.intact).length;
      if (broken > 0) throw new CliError(`${broken} audit chain(s) broken`, EXIT.failed);
    });

  const sweep = program.command('sweep').description('Run a sweep now (admin)');
  sweep
    .command('retention')
    .description('The retention sweep (P11): with --dry-run, counts only and nothing changes')
    .option('--dry-run', 'count who would be erased and what purged; change nothing')
    .option('--no-wait', 'start it and print the run id')
    .option('--timeout <seconds>', 'how long to wait for the summary', positive('--timeout'), 1800)
    .action(async (opts: { dryRun?: boolean; wait: boolean; timeout: number }, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const started = await call.client.json<{ runId: string; dryRun: boolean }>(
        'POST',
        '/admin/sweeps/retention',
        { staff: true, body: { dryRun: Boolean(opts.dryRun) } },
      );
      if (!opts.wait) return print(call.io, call.json, started, (s) => fields(s));
      const spin = spinner(call.io, !call.json, `retention sweep ${started.runId}`);
      const deadline = Date.now() + opts.timeout * 1000;
      try {
        for (;;) {
          const run = await call.client.json<{ state: string; summary?: Row }>(
            'GET',
            `/admin/sweeps/retention/${started.runId}`,
            { staff: true },
          );
          if (run.state === 'done') {
            spin.stop();
            return print(call.io, call.json, run, (r) => fields({ runId: started.runId, ...r.summary }));
          }
          if (Date.now() > deadline)
            throw new CliError(`Run ${started.runId} is still running; look again later`, EXIT.failed);
          await new Promise((r) => setTimeout(r, 1000));
        }
      } finally {
        spin.stop();
      }
    });
  sweep
    .command('deadlines')
    .description('The deadline sweep (P9): reminders and interim answers due, and the figures')
    .action(async (_o: unknown, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const spin = spinner(call.io, !call.json, 'deadline sweep');
      const figures = await call.client
        .json<{ totals: Row; reminded: number; interimAnswers: number }>('POST', '/admin/sweeps/deadlines', {
          staff: true,
        })
        .finally(() => spin.stop());
      print(call.io, call.json, figures, (f) =>
        fields({ ...f.totals, reminded: f.reminded, interimAnswers: f.interimAnswers }),
      );
    });

  program
    .command('export')
    .description("Download a request's package (or --report) to a file (approver); audited (P15)")
    .argument('<id>', 'request id', requestId)
    .requiredOption('--out <file>', 'where to write it, e.g. package.zip')
    .option('--report', 'the access report (HTML) instead of the package')
    .action(async (id: string, opts: { out: string; report?: boolean }, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const res = await call.client.send('GET', `/admin/requests/${id}/export`, {
        staff: true,
        redirect: true,
        query: { file: opts.report ? 'report' : undefined },
      });
      const location = res.headers.get('location');
      if (!location) throw new CliError('The API gave no file to fetch', EXIT.failed);
      // The presigned URL carries its own authority: no staff token goes to the bucket.
      const file = await fetch(location);
      if (!file.ok || !file.body) throw new CliError(`The file could not be fetched (HTTP ${file.status})`);
      await pipeline(Readable.fromWeb(file.body as WebStream), createWriteStream(opts.out));
      const bytes = Number(file.headers.get('content-length') ?? 0) || undefined;
      print(call.io, call.json, { id, file: opts.out, bytes }, (a) => fields(a));
    });
}
