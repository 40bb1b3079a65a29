// What the runtime benchmarks share: the embedded runtime with rate limits raised through configuration,
// generated subjects in all four systems, one shared inbox poller, a request driven through the HTTP API as a
// subject and an approver would, and the stage times read back from the execution history.

import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { subjectListEntry } from '../functions/connectors/records.ts';
import { SYSTEMS } from '../functions/core/builtins.ts';
import { configuredSystems, SYSTEMS_DIR, SYSTEMS_DIR_ENV } from '../functions/core/systems.ts';
import { LOCAL_REGION } from '../local/asl.ts';
import { DEMO_CUSTOMERS, demoData } from '../local/demo-data.ts';
import { TABLE_NAMES } from '../local/tables.ts';
import { call, codeIn, type InboxMail } from '../test/helpers/api.ts';
import { type Runtime, type RuntimeOptions, startRuntime } from '../test/helpers/runtime.ts';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let systemsDir: string | undefined;

/**
 * The systems the benchmark reaches: the built-in four and every configured one with an API. A system without one
 * is answered by a person (P17), so timing it would time them: its file is left out of the runtime's folder.
 */
export function benchSystemsEnv(): Record<string, string> {
  if (!systemsDir) {
    systemsDir = mkdtempSync(join(tmpdir(), 'bench-systems-'));
    for (const c of configuredSystems().filter((c) => c.kind !== 'manual'))
      copyFileSync(join(SYSTEMS_DIR, `${c.name}.json`), join(systemsDir, `${c.name}.json`));
  }
  return { [SYSTEMS_DIR_ENV]: systemsDir };
}

/** The names of the systems benchSystemsEnv leaves in. */
export const BENCH_SYSTEMS: string[] = [
  ...SYSTEMS,
  ...configuredSystems()
    .filter((c) => c.kind !== 'manual')
    .map((c) => c.name),
];

/** The runtime as the benchmark drives it: the systems with an API, rate limits raised, handlers logging warnings only. */
export function startBenchRuntime(env: Record<string, string> = {}, options: RuntimeOptions = {}) {
  return startRuntime({
    // a busy machine starts DynamoDB Local slowly
    startTimeoutMs: 300_000,
    ...options,
    env: {
      RATE_LIMIT_PER_ADDRESS: '1000000',
      RATE_LIMIT_PER_SOURCE: '1000000',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      ...benchSystemsEnv(),
      ...env,
    },
  });
}

/** A generated subject: An Devos's records in all four systems under another customer number and address. */
export interface BenchSubject {
  email: string;
  customerNumber: string;
}

/** Writes `count` generated subjects (tag keeps sets apart) into the runtime's system tables. */
export async function seedSubjects(rt: Runtime, tag: string, count: number): Promise<BenchSubject[]> {
  const client = new DynamoDBClient({
    endpoint: rt.dynamodbEndpoint,
    region: LOCAL_REGION,
    credentials: CREDENTIALS,
  });
  const doc = DynamoDBDocumentClient.from(client);
  const an = DEMO_CUSTOMERS.an;
  const template = Object.entries(demoData(new Date())).map(
    ([system, items]) =>
      [system, JSON.stringify(items.filter((i) => i.customerNumber === an.customerNumber))] as const,
  );
  const subjects = Array.from({ length: count }, (_, i) => ({
    email: `bench.${tag}.${i}@example.org`,
    customerNumber: `C-9${tag.length}${String(i).padStart(6, '0')}${tag}`,
  }));
  try {
    for (const [system, text] of template) {
      const items = subjects.flatMap((s) => [
        ...(JSON.parse(
          text.replaceAll(an.customerNumber, s.customerNumber).replaceAll(an.email, s.email),
        ) as object[]),
        subjectListEntry(s.customerNumber),
      ]);
      await batchWrite(doc, TABLE_NAMES.system(system), items);
    }
  } finally {
    client.destroy();
  }
  return subjects;
}

async function batchWrite(doc: DynamoDBDocumentClient, table: string, items: object[]) {
  const batches: object[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  // a few batches at a time, retrying what DynamoDB leaves unprocessed
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let round = 0; requests.length > 0; round++) {
        if (round > 0) await sleep(50 * 2 ** Math.min(round, 6));
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** One poller of the local inbox for every waiting request (asks only for the mails of the last seconds). */
export class Inbox {
  private readonly seen = new Set<string>();
  private readonly waiting = new Map<
    string,
    { match: (m: InboxMail) => boolean; done: (m: InboxMail) => void }[]
  >();
  private readonly arrived = new Map<string, InboxMail[]>();
  private timer?: NodeJS.Timeout;
  private since = Math.floor(Date.now() / 1000) - 1;

  constructor(private readonly sesUrl: string) {}

  /** The next mail to `to` that `match` accepts, not handed out before. */
  next(to: string, match: (m: InboxMail) => boolean, timeoutMs = 120_000): Promise<InboxMail> {
    const early = this.take(to, match);
    if (early) return Promise.resolve(early);
    this.timer ??= setInterval(() => void this.poll(), 200);
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`no mail within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiting.get(to) ?? [];
      list.push({
        match,
        done: (m) => {
          clearTimeout(guard);
          resolve(m);
        },
      });
      this.waiting.set(to, list);
    });
  }

  close() {
    clearInterval(this.timer);
  }

  private take(to: string, match: (m: InboxMail) => boolean) {
    const list = this.arrived.get(to) ?? [];
    const i = list.findIndex(match);
    return i >= 0 ? list.splice(i, 1)[0] : undefined;
  }

  private polling = false;
  private async poll() {
    if (this.polling) return;
    this.polling = true;
    try {
      const res = await fetch(`${this.sesUrl}/store?since=${this.since}`);
      const { emails } = (await res.json()) as { emails: InboxMail[] };
      for (const m of emails) {
        if (this.seen.has(m.messageId)) continue;
        this.seen.add(m.messageId);
        this.since = Math.max(this.since, Math.floor(m.at) - 2);
        for (const to of m.destination.to) {
          const list = this.arrived.get(to) ?? [];
          list.push(m);
          this.arrived.set(to, list);
        }
      }
      for (const [to, waiters] of this.waiting) {
        for (const w of [...waiters]) {
          const m = this.take(to, w.match);
          if (m) {
            waiters.splice(waiters.indexOf(w), 1);
            w.done(m);
          }
        }
        if (waiters.length === 0) this.waiting.delete(to);
      }
      if (this.waiting.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    } catch {
      // the next poll tries again
    } finally {
      this.polling = false;
    }
  }
}

export type RequestType = 'erasure' | 'access' | 'portability' | 'rectification' | 'objection';
export const REQUEST_TYPES: RequestType[] = [
  'erasure',
  'access',
  'portability',
  'rectification',
  'objection',
];

/** The request body a subject sends for `type` (the objection to direct marketing needs no approval). */
export function requestBody(type: RequestType, email: string): Record<string, unknown> {
  const body: Record<string, unknown> = { type, email, language: 'nl' };
  if (type === 'rectification') body.changes = { phone: '+32 470 11 22 33' };
  if (type === 'objection') body.scope = ['direct_marketing'];
  return body;
}

export interface Driven {
  id: string;
  type: RequestType;
  /** HTTP answer times of the intake and the verification, ms */
  intakeMs: number;
  verifyMs: number;
}

const isCode = (m: InboxMail) => /\b\d{8}\b/.test(m.body.text ?? '');

/** Files, verifies and (when it waits for that) approves one request, then waits for its workflow to end. */
export async function drive(
  rt: Runtime,
  inbox: Inbox,
  approver: string,
  type: RequestType,
  email: string,
  sfn: SFNClient,
): Promise<Driven> {
  const t0 = performance.now();
  const filed = await call(rt.apiUrl, 'POST', '/requests', { body: requestBody(type, email) });
  const intakeMs = performance.now() - t0;
  if (filed.status !== 202) throw new Error(`intake answered ${filed.status} ${filed.text.slice(0, 200)}`);
  const id = filed.json.id as string;
  const mail = await inbox.next(email, isCode);
  const t1 = performance.now();
  const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: codeIn(mail) } });
  const verifyMs = performance.now() - t1;
  if (verified.status !== 200)
    throw new Error(`verify answered ${verified.status} ${verified.text.slice(0, 200)}`);
  const arn = executionArn(rt, id);
  // Drive as an approver would, asking now and then; the figures come from the history, not from this loop.
  for (let round = 0; ; round++) {
    const ended = await executionEnded(sfn, arn);
    if (ended) break;
    if (type !== 'objection') {
      const approved = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: approver });
      if (approved.status === 200) type = 'objection'; // approved: only the end is left to wait for
    }
    if (round > 1200) throw new Error(`request ${id} did not end`);
    await sleep(400);
  }
  return { id, type: requestBody(type, email).type as RequestType, intakeMs, verifyMs };
}

export const executionArn = (rt: Runtime, requestId: string) =>
  `${rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${requestId}`;

export function sfnClient(rt: Runtime) {
  return new SFNClient({ endpoint: rt.awsLocalUrl, region: LOCAL_REGION, credentials: CREDENTIALS });
}

// DescribeExecution reads the engine's memory, so asking often costs the runtime little.
async function executionEnded(sfn: SFNClient, arn: string): Promise<boolean> {
  try {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    return status !== 'RUNNING';
  } catch {
    return false; // not started yet
  }
}

/** The whole history of an execution. */
export async function history(sfn: SFNClient, arn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000, nextToken }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Stage times (ms) of one execution, from its history's timestamps. */
export interface Stages {
  started: number;
  ended: number;
  succeeded: boolean;
  locate?: number;
  /** from the approval (or, without one, from leaving the approval question) to the first system acting */
  approvalToExecute?: number;
  execute?: number;
  recheck?: number;
  notify?: number;
  tell?: number;
  approvalToTold?: number;
  /** from the approval to the execution's end */
  approvalToEnd?: number;
  /** every state's longest single visit (a Map's items: the slowest), ms */
  states: Record<string, number>;
}

/** Each state's longest visit, from its Entered and Exited events (a Map's items overlap: kept apart by order). */
export function stateTimes(events: HistoryEvent[]): Record<string, number> {
  const open = new Map<string, number[]>();
  const longest: Record<string, number> = {};
  for (const e of events) {
    const at = (e.timestamp as Date).getTime();
    const enteredName = e.type?.endsWith('StateEntered') ? e.stateEnteredEventDetails?.name : undefined;
    const exitedName = e.type?.endsWith('StateExited') ? e.stateExitedEventDetails?.name : undefined;
    if (enteredName) open.set(enteredName, [...(open.get(enteredName) ?? []), at]);
    if (exitedName) {
      const since = open.get(exitedName)?.shift();
      if (since !== undefined) longest[exitedName] = Math.max(longest[exitedName] ?? 0, at - since);
    }
  }
  return longest;
}

export function stagesOf(events: HistoryEvent[]): Stages {
  const at = (e: HistoryEvent) => (e.timestamp as Date).getTime();
  const nameOf = (e: HistoryEvent) => e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
  const entered = (name: string) =>
    events.find((e) => e.type?.endsWith('StateEntered') && nameOf(e) === name);
  const exited = (name: string) =>
    [...events].reverse().find((e) => e.type?.endsWith('StateExited') && nameOf(e) === name);
  const span = (name: string) => {
    const a = entered(name);
    const b = exited(name);
    return a && b ? at(b) - at(a) : undefined;
  };
  const first = events[0] as HistoryEvent;
  const last = events.at(-1) as HistoryEvent;
  const approval = exited('AwaitApproval') ?? exited('NeedsApproval');
  const execute = entered('Execute');
  const told = exited('TellSubject');
  return {
    started: at(first),
    ended: at(last),
    succeeded: last.type === 'ExecutionSucceeded',
    locate: span('Locate'),
    approvalToExecute: approval && execute ? at(execute) - at(approval) : undefined,
    execute: span('Execute'),
    recheck: span('Recheck'),
    notify: span('NotifyRecipients'),
    tell: span('TellSubject'),
    approvalToTold: approval && told ? at(told) - at(approval) : undefined,
    approvalToEnd: approval ? at(last) - at(approval) : undefined,
    states: stateTimes(events),
  };
}
