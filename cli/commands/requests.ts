// The request commands: what a subject does (submit, verify) and what staff do with one (list, show, decide, wait).
import type { Command } from 'commander';
import { ExtendBody } from '../../functions/core/extension.ts';
import { CreateRequestBody } from '../../functions/core/request-body.ts';
import {
  RejectBody,
  RequestId,
  ResolveIdentityBody,
  Status,
  VerifyBody,
} from '../../functions/core/schemas.ts';
import { checked, type RequestFields, requestBody } from '../bodies.ts';
import { type Call, type Context, callOf, positive } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { fields, print, table } from '../output.ts';
import { spinner } from '../progress.ts';

type Row = Record<string, unknown>;
const LIST_COLUMNS = ['id', 'type', 'status', 'channel', 'receivedAt', 'dueAt', 'daysLeft', 'attention'];

/** A request id argument, checked before any call (an id of the wrong shape is a usage error, exit 2). */
export function requestId(value: string): string {
  if (!RequestId.safeParse(value).success)
    throw new CliError(`Not a request id: "${value.slice(0, 40)}" (r_ and 22 letters or digits)`, EXIT.usage);
  return value;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The detail view for people: the request, its systems, and its audit chain's verdict. */
export function detailText(d: Row): string {
  const chain = d.chain as { intact: boolean; entries: number; brokenAt?: number } | undefined;
  const systems = ((d.systems as Row[]) ?? []).map((s) => ({
    system: s.system,
    state: s.state,
    records: (s.located as Row | undefined)?.records,
    outcomes: ((s.outcomes as Row[]) ?? []).map((o) => o.kind ?? o.status).join(','),
  }));
  const head = fields({
    id: d.id,
    type: d.type,
    status: d.status,
    channel: d.channel,
    language: d.language,
    receivedAt: d.receivedAt,
    dueAt: d.dueAt,
    extended: d.extended,
    attention: d.attention,
    chain: chain
      ? `${chain.intact ? 'intact' : `BROKEN at ${chain.brokenAt}`} (${chain.entries} entries)`
      : undefined,
  });
  return `${head}\n${table(systems, ['system', 'state', 'records', 'outcomes'])}`;
}

async function decision(call: Call, id: string, action: string, body?: unknown) {
  const answer = await call.client.json('POST', `/admin/requests/${id}/${action}`, { staff: true, body });
  print(call.io, call.json, answer, (a) => fields(a));
}

/** The queue row of one request, without opening (and so auditing) its detail. */
export async function summaryOf(call: Call, id: string): Promise<Row> {
  const page = await call.client.json<{ items: Row[] }>('GET', '/admin/requests', {
    staff: true,
    query: { id },
  });
  const row = page.items[0];
  if (!row) throw new CliError(`No request ${id}`, EXIT.notFound);
  return row;
}

export function requestCommands(program: Command, ctx: Context): void {
  program
    .command('submit')
    .description('File a request as a subject would (P4); a code goes to the address (P8)')
    .argument('<type>', 'access | portability | rectification | erasure | objection')
    .requiredOption('--email <address>', "the subject's e-mail address")
    .option('--language <lang>', 'nl | fr | en')
    .option('--change <field=value>', 'rectification: a change (repeatable)', collect)
    .option('--scope <scopes>', 'objection: direct_marketing,profiling or legitimate_interest')
    .option('--recipient-organisation <name>', 'portability: the organisation to send it to')
    .option('--recipient-email <address>', "portability: that organisation's address")
    .action(async (type: string, opts: RequestFields & { change?: string[] }, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const body = requestBody({ ...opts, type, changes: opts.change });
      checked(CreateRequestBody, body);
      const answer = await call.client.json('POST', '/requests', { body });
      print(call.io, call.json, answer, (a) => fields(a));
    });

  program
    .command('verify')
    .description('Verify a request with the code from the e-mail; starts the workflow (P8)')
    .argument('<id>', 'request id', requestId)
    .argument('<code>', 'the 8-digit code')
    .option('--confirm-transfer', 'portability to an organisation: confirm it (Art. 20(2))')
    .action(async (id: string, code: string, opts: { confirmTransfer?: boolean }, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const body = { code, ...(opts.confirmTransfer ? { confirmTransfer: true } : {}) };
      checked(VerifyBody, body);
      const answer = await call.client.json('POST', `/requests/${id}/verify`, { body });
      print(call.io, call.json, answer, (a) => fields({ status: a.status, statusToken: a.statusToken }));
    });

  program
    .command('list')
    .description('The staff queue (viewer): no personal data')
    .option('--status <status>', 'only this status')
    .option('--type <type>', 'only this type')
    .option('--channel <channel>', 'web | email | letter')
    .option('--needs-action', 'only requests staff must act on now')
    .option('--by-due', 'open requests by due date, overdue first')
    .option('--limit <n>', 'rows per page (at most 100)', positive('--limit'))
    .option('--all', 'every page')
    .action(async (opts: Record<string, string | number | boolean | undefined>, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const items: Row[] = [];
      let cursor: string | undefined;
      do {
        const page = await call.client.json<{ items: Row[]; cursor?: string }>('GET', '/admin/requests', {
          staff: true,
          query: {
            status: opts.status as string | undefined,
            type: opts.type as string | undefined,
            channel: opts.channel as string | undefined,
            attention: opts.needsAction ? 'needs_action' : undefined,
            order: opts.byDue ? 'due' : undefined,
            limit: opts.limit === undefined ? undefined : String(opts.limit),
            cursor,
          },
        });
        items.push(...page.items);
        cursor = page.cursor;
      } while (opts.all && cursor);
      print(call.io, call.json, { items, ...(cursor ? { cursor } : {}) }, (p) =>
        table(p.items, LIST_COLUMNS),
      );
    });

  program
    .command('show')
    .description('A request with its systems and audit chain (viewer); the view is audited (P15)')
    .argument('<id>', 'request id', requestId)
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const detail = await call.client.json('GET', `/admin/requests/${id}`, { staff: true });
      print(call.io, call.json, detail, detailText);
    });

  program
    .command('approve')
    .description('Approve a request waiting for a decision (approver)')
    .argument('<id>', 'request id', requestId)
    .action(async (id: string, _o: unknown, cmd: Command) => decision(callOf(ctx, cmd), id, 'approve'));

  program
    .command('reject')
    .description('Reject with a reason (approver); the subject is told, with the right to complain (P10)')
    .argument('<id>', 'request id', requestId)
    .requiredOption('--reason <reason>', 'e.g. manifestly_unfounded, identity_not_established, other')
    .option('--explanation <text>', 'what the subject is told besides the reason')
    .action(async (id: string, opts: { reason: string; explanation?: string }, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const body = { reason: opts.reason, ...(opts.explanation ? { explanation: opts.explanation } : {}) };
      checked(RejectBody, body);
      await decision(call, id, 'reject', body);
    });

  program
    .command('extend')
    .description('Extend the period once, before the due date (approver, P9)')
    .argument('<id>', 'request id', requestId)
    .requiredOption('--reason <reason>', 'complexity | number_of_requests')
    .requiredOption('--note <text>', 'why it is necessary (internal)')
    .option('--due-date <date>', 'YYYY-MM-DD, at most receipt + three months')
    .action(async (id: string, opts: { reason: string; note: string; dueDate?: string }, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const body = {
        reason: opts.reason,
        note: opts.note,
        ...(opts.dueDate ? { dueDate: opts.dueDate } : {}),
      };
      checked(ExtendBody, body);
      await decision(call, id, 'extend', body);
    });

  program
    .command('retry')
    .description('Act again on the systems that failed (approver)')
    .argument('<id>', 'request id', requestId)
    .action(async (id: string, _o: unknown, cmd: Command) => decision(callOf(ctx, cmd), id, 'retry'));

  program
    .command('resolve')
    .description('Pick the customer behind an address several share (approver, P8)')
    .argument('<id>', 'request id', requestId)
    .requiredOption('--customer <number>', 'the customer number, C-123456')
    .action(async (id: string, opts: { customer: string }, cmd: Command) => {
      const call = callOf(ctx, cmd);
      const body = { customerNumber: opts.customer };
      checked(ResolveIdentityBody, body);
      await decision(call, id, 'resolve', body);
    });

  program
    .command('wait')
    .description(
      'Wait for a final status (or one of --until): exit 0 on completed or an --until status, else 1',
    )
    .argument('<id>', 'request id', requestId)
    .option('--until <statuses>', 'also stop at these statuses, comma-separated (e.g. awaiting_approval)')
    .option('--timeout <seconds>', 'give up after this long (exit 1)', positive('--timeout'), 600)
    .option('--interval <ms>', 'between looks', positive('--interval'), 1000)
    .action(async (id: string, opts: { until?: string; timeout: number; interval: number }, cmd: Command) => {
      await waitFor(callOf(ctx, cmd), id, opts);
    });
}

const FINAL = new Set(['completed', 'partially_completed', 'rejected', 'expired']);

async function waitFor(call: Call, id: string, opts: { until?: string; timeout: number; interval: number }) {
  const wanted = new Set(['completed']);
  for (const s of opts.until?.split(',').map((x) => x.trim()) ?? []) {
    if (!s) continue;
    if (!Status.safeParse(s).success) throw new CliError(`Not a status: "${s.slice(0, 40)}"`, EXIT.usage);
    wanted.add(s);
  }
  const spin = spinner(call.io, !call.json, `waiting for ${id}`);
  const deadline = Date.now() + opts.timeout * 1000;
  try {
    for (;;) {
      const row = await summaryOf(call, id);
      spin.note(String(row.status));
      const status = String(row.status);
      if (wanted.has(status) || FINAL.has(status)) {
        spin.stop();
        print(call.io, call.json, row, (r) => fields(r));
        // A script waiting for done learns from the code alone that it ended otherwise.
        if (!wanted.has(status)) throw new CliError(`Request ${id} ended ${status}`, EXIT.failed);
        return;
      }
      if (Date.now() > deadline) throw new CliError(`Request ${id} is still ${row.status}`, EXIT.failed);
      await new Promise((r) => setTimeout(r, opts.interval));
    }
  } finally {
    spin.stop();
  }
}
