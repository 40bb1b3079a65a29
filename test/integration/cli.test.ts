// The `dsr` command against the embedded runtime, as a child process: what staff and scripts rely on (P4, P8, P9,
// P11, P15), its --json output parsed, and its exit codes (0 done, 1 failed, 2 usage, 3 not found, 4 forbidden).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../functions/core/audit.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { codeIn, inbox, waitForMail } from '../helpers/api.ts';
import { dsr } from '../helpers/cli.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
let dir: string;
const tokens: Record<string, string> = {};
const UNKNOWN_ID = 'r_0000000000000000000000';

/** dsr with a role's token (or none) and a private config directory. */
const as = (role: 'viewer' | 'approver' | 'admin' | 'none', args: string[]) =>
  dsr(rt.apiUrl, args, {
    DSR_CONFIG_DIR: dir,
    ...(role === 'none' ? {} : { DSR_TOKEN: tokens[role] as string }),
  });

const auditChain = async (id: string) =>
  ((
    await runtimeDocumentClient(rt.dynamodbEndpoint).send(
      new QueryCommand({
        TableName: TABLE_NAMES.audit,
        KeyConditionExpression: 'requestId = :r',
        ExpressionAttributeValues: { ':r': id },
        ConsistentRead: true,
      }),
    )
  ).Items ?? []) as AuditEntry[];

/** Files a request through dsr and verifies it with the code from the local inbox; answers its id. */
async function submitAndVerify(args: string[], email: string): Promise<string> {
  const seen = new Set((await inbox(rt.sesUrl)).map((m) => m.messageId));
  const filed = await as('none', ['submit', ...args, '--email', email, '--json']);
  expect(filed.code, filed.stderr).toBe(0);
  const id = filed.json<{ id: string }>().id;
  const mail = await waitForMail(
    rt.sesUrl,
    email,
    (m) => /\d{8}/.test(m.body.text ?? '') && !seen.has(m.messageId),
  );
  const verified = await as('none', ['verify', id, codeIn(mail), '--json']);
  expect(verified.code, verified.stderr).toBe(0);
  return id;
}

beforeAll(async () => {
  // The start-up retention sweep as a dry run: the demo's inactive former customers stay for the dry runs below.
  rt = await startRuntime({
    clock: '2026-11-25T09:00:00Z',
    env: { RATE_LIMIT_PER_SOURCE: '200', LOCAL_RETENTION_DRY_RUN: '1' },
  });
  dir = mkdtempSync(join(tmpdir(), 'dsr-'));
  for (const role of ['viewer', 'approver', 'admin'] as const) tokens[role] = await rt.staffToken(role);
});

afterAll(async () => {
  await rt?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('dsr carries a request from filing to done (P4, P8, P9)', () => {
  let id: string;

  it('submits, verifies with the mailed code, approves and waits until completed, all with --json (P4, P8)', async () => {
    // Prepare: a portability request filed and verified through dsr
    id = await submitAndVerify(['portability'], DEMO_CUSTOMERS.an.email);
    // Act: wait for the decision, approve, wait for the end
    const parked = await as('approver', [
      'wait',
      id,
      '--until',
      'awaiting_approval',
      '--interval',
      '200',
      '--json',
    ]);
    const approved = await as('approver', ['approve', id, '--json']);
    const done = await as('viewer', ['wait', id, '--interval', '300', '--json']);
    // Assess: each step's JSON, and done exits 0 with completed
    expect(parked.code, parked.stderr).toBe(0);
    expect(parked.json().status).toBe('awaiting_approval');
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.json()).toMatchObject({ id, status: 'in_progress' });
    expect(done.code, done.stderr).toBe(0);
    expect(done.json()).toMatchObject({ id, type: 'portability', status: 'completed' });
  });

  it('downloads the package to a file for an approver, and the fetch is in the audit trail (P7, P15)', async () => {
    // Prepare
    const out = join(dir, 'package.zip');
    // Act
    const run = await as('approver', ['export', id, '--out', out, '--json']);
    // Assess: a zip on disk; an export.fetched entry by staff, naming the file only
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    const fetched = (await auditChain(id)).filter((e) => e.action === 'export.fetched');
    expect(fetched).toHaveLength(1);
    expect(fetched[0]?.actor).toMatch(/^staff:/);
    expect(fetched[0]?.details).toEqual({ file: 'package' });
  });

  it('shows the request with its systems as a table, and lists it in the queue (P15)', async () => {
    // Act
    const shown = await as('viewer', ['show', id]);
    const listed = await as('viewer', ['list', '--type', 'portability', '--json']);
    // Assess: people get a table; scripts get the queue's rows
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/status\s+completed/);
    expect(shown.stdout).toMatch(/SYSTEM\s+STATE/);
    expect(listed.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(id);
  });

  it('verifies an intact audit chain (exit 0) and fails a tampered one (exit 1), alone and with --all (P15)', async () => {
    // Prepare: intact first
    const intact = await as('viewer', ['audit', 'verify', id, '--json']);
    // Act: one entry's actor rewritten in DynamoDB, its hash left as it was
    const entry = (await auditChain(id)).find((e) => e.action === 'request.approved') as AuditEntry;
    await runtimeDocumentClient(rt.dynamodbEndpoint).send(
      new PutCommand({ TableName: TABLE_NAMES.audit, Item: { ...entry, actor: 'staff:someone-else' } }),
    );
    const broken = await as('viewer', ['audit', 'verify', id, '--json']);
    const all = await as('viewer', ['audit', 'verify', '--all', '--json']);
    // Assess
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.json()).toMatchObject({ id, intact: true });
    expect(broken.code).toBe(1);
    expect(broken.json()).toMatchObject({ id, intact: false });
    expect(broken.stderr).toContain('audit chain(s) broken');
    expect(all.code).toBe(1);
    expect(all.json<{ id: string; intact: boolean }[]>().find((r) => r.id === id)?.intact).toBe(false);
  });
});

describe('dsr answers errors with a message and an exit code, never a stack trace (P15)', () => {
  it('exits 2 on usage errors: a missing argument, an unknown command, a body the API would refuse', async () => {
    // Act
    const runs = await Promise.all([
      as('approver', ['approve']),
      as('approver', ['frobnicate']),
      as('none', ['submit', 'erasure', '--email', 'not-an-address']),
      as('approver', ['approve', 'not-a-request-id']),
    ]);
    // Assess
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    for (const r of runs) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(runs[2]?.stderr).toContain('email');
  });

  it('exits 3 for an unknown request id (show, wait, audit verify)', async () => {
    // Act
    const runs = await Promise.all([
      as('viewer', ['show', UNKNOWN_ID]),
      as('viewer', ['wait', UNKNOWN_ID]),
      as('viewer', ['audit', 'verify', UNKNOWN_ID]),
    ]);
    // Assess
    expect(runs.map((r) => r.code)).toEqual([3, 3, 3]);
    for (const r of runs) expect(r.stderr).toMatch(/^dsr: /);
  });

  it('exits 4 when a viewer approves, or nobody is logged in, and the request is unchanged (P15)', async () => {
    // Prepare: a request waiting for approval
    const id = await submitAndVerify(['access'], DEMO_CUSTOMERS.an.email);
    await as('viewer', ['wait', id, '--until', 'awaiting_approval', '--interval', '200']);
    // Act
    const viewer = await as('viewer', ['approve', id]);
    const nobody = await as('none', ['approve', id]);
    const after = await as('viewer', ['list', '--json']);
    // Assess
    expect(viewer.code).toBe(4);
    expect(viewer.stderr).toContain('approver');
    expect(nobody.code).toBe(4);
    const row = after.json<{ items: { id: string; status: string }[] }>().items.find((i) => i.id === id);
    expect(row?.status).toBe('awaiting_approval');
  });
});

describe('dsr for the privacy team and operators (P4, P9, P11)', () => {
  it('logs in with the local login and uses the kept token; a wrong password exits 4', async () => {
    // Act
    const wrong = await as('none', ['login', '--user', 'viewer', '--password', 'wrong-password']);
    const login = await as('none', [
      'login',
      '--user',
      'viewer',
      '--password',
      'local-demo-password',
      '--json',
    ]);
    const listed = await as('none', ['list', '--json']);
    // Assess
    expect(wrong.code).toBe(4);
    expect(login.code, login.stderr).toBe(0);
    expect(login.json()).toMatchObject({ user: 'viewer' });
    expect(listed.code, listed.stderr).toBe(0);
  });

  it('registers letters in bulk from a CSV, one request per row (P4)', async () => {
    // Prepare
    const csv = join(dir, 'letters.csv');
    writeFileSync(
      csv,
      'type,language,channel,receivedAt,postalAddress,email\n' +
        'erasure,nl,letter,2026-11-20T10:00:00Z,"Kerkstraat 1, 8500 Kortrijk",\n' +
        'access,fr,letter,2026-11-21T10:00:00Z,"Rue Haute 2, 7700 Mouscron",\n',
    );
    // Act
    const run = await as('approver', ['register', '--csv', csv, '--json']);
    // Assess: two requests by letter, waiting for staff's identity check
    expect(run.code, run.stderr).toBe(0);
    const rows = run.json<{ row: number; id: string; status: string }[]>();
    expect(rows.map((r) => r.row)).toEqual([1, 2]);
    for (const r of rows) expect(r.status).toBe('awaiting_identity_check');
  });

  it('refuses a CSV row the API would refuse before sending any, naming its line (exit 2, P4)', async () => {
    // Prepare
    const csv = join(dir, 'bad.csv');
    writeFileSync(
      csv,
      'type,language,channel,receivedAt\naccess,nl,letter,2026-11-20T10:00:00Z\nnope,nl,letter,x\n',
    );
    const before = await as('viewer', ['list', '--channel', 'letter', '--limit', '100', '--json']);
    // Act
    const run = await as('approver', ['register', '--csv', csv]);
    const after = await as('viewer', ['list', '--channel', 'letter', '--limit', '100', '--json']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('line 2');
    expect(after.json<{ items: unknown[] }>().items).toHaveLength(
      before.json<{ items: unknown[] }>().items.length,
    );
  });

  it('runs a retention dry run that counts who would go and erases nobody, twice alike (P11)', async () => {
    // Act
    const first = await as('admin', ['sweep', 'retention', '--dry-run', '--json']);
    const second = await as('admin', ['sweep', 'retention', '--dry-run', '--json']);
    const viewer = await as('viewer', ['sweep', 'retention', '--dry-run']);
    // Assess: the demo's inactive former customers counted, none erased, the same on a second look
    expect(first.code, first.stderr).toBe(0);
    type Run = {
      state: string;
      summary: { dryRun: boolean; erased: number; verdicts: { inactive: number } };
    };
    const a = first.json<Run>();
    expect(a.state).toBe('done');
    expect(a.summary.dryRun).toBe(true);
    expect(a.summary.verdicts.inactive).toBeGreaterThan(0);
    expect(a.summary.erased).toBe(0);
    expect(second.json<Run>().summary.verdicts.inactive).toBe(a.summary.verdicts.inactive);
    expect(viewer.code).toBe(4);
  });

  it('runs the deadline sweep on demand and prints its figures (P9)', async () => {
    // Act
    const run = await as('admin', ['sweep', 'deadlines', '--json']);
    // Assess: the open requests of this file counted
    expect(run.code, run.stderr).toBe(0);
    const figures = run.json<{ totals: { open: number }; reminded: number }>();
    expect(figures.totals.open).toBeGreaterThan(0);
    expect(typeof figures.reminded).toBe('number');
  });
});
