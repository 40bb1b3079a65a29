// Contention, repeats and the audit trail on the embedded runtime: what a burst of callers or a restart leaves behind.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestKey } from '../../functions/core/request.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, codeIn, inbox, waitForMail } from '../helpers/api.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  rt = await startRuntime({ clock: '2026-11-25T09:00:00Z', env: { RATE_LIMIT_PER_SOURCE: '200' } });
  doc = runtimeDocumentClient(rt.dynamodbEndpoint);
});

afterAll(async () => {
  await rt?.stop();
});

/** Files a request and answers its id and the code mailed for it. */
async function file(email: string) {
  const seen = new Set((await inbox(rt.sesUrl)).map((m) => m.messageId));
  const filed = await call(rt.apiUrl, 'POST', '/requests', { body: { type: 'access', email } });
  expect(filed.status).toBe(202);
  const mail = await waitForMail(
    rt.sesUrl,
    email,
    (m) => /\d{8}/.test(m.body.text ?? '') && !seen.has(m.messageId),
  );
  return { id: filed.json.id as string, code: codeIn(mail) };
}

const stored = async (id: string) =>
  (
    await doc.send(
      new GetCommand({ TableName: TABLE_NAMES.requests, Key: requestKey(id), ConsistentRead: true }),
    )
  ).Item as { status: string; verification: { attempts: number } };

/** A request's audit chain as stored, oldest first. */
const chain = async (id: string) =>
  ((
    await doc.send(
      new QueryCommand({
        TableName: TABLE_NAMES.audit,
        KeyConditionExpression: 'requestId = :r',
        ExpressionAttributeValues: { ':r': id },
        ConsistentRead: true,
      }),
    )
  ).Items ?? []) as { action: string; seq: string }[];

const actions = async (id: string, action: string) =>
  (await chain(id)).filter((e) => e.action === action).length;

describe('Contention is not a server error (P8, Art. 32)', () => {
  it('answers 20 concurrent verifies with mixed codes without a 5xx, verifying once and counting every wrong code', async () => {
    // Prepare: a request, 4 wrong codes and 16 right ones
    const { id, code } = await file('contention@example.be');
    const codes = Array.from({ length: 20 }, (_, i) => (i % 5 === 0 ? '00000000' : code));
    // Act: all at once
    const answers = await Promise.all(
      codes.map((c) => call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: c } })),
    );
    // Assess: no 5xx; the wrong ones refused and counted; the right ones one verification with one token
    const statuses = answers.map((a) => a.status);
    console.log(`20 concurrent verifies: ${JSON.stringify(statuses)}`);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const wrong = answers.filter((a) => a.status === 400);
    const ok = answers.filter((a) => a.status === 200);
    expect(wrong.length).toBe(4);
    expect(ok.length + answers.filter((a) => a.status === 409).length).toBe(16);
    expect(new Set(ok.map((a) => a.json.statusToken)).size).toBe(1);
    const r = await stored(id);
    expect(r.verification.attempts).toBe(4);
    expect(r.status).not.toBe('awaiting_verification');
    expect(await actions(id, 'request.verified')).toBe(1);
  }, 120_000);
});

/** `npm run audit-verify` against this runtime: its exit code and what it printed. */
async function auditVerify(...args: string[]) {
  try {
    const out = await promisify(execFile)('npx', [
      'tsx',
      'local/audit-verify.ts',
      ...args,
      '--data-dir',
      rt.dataDir,
    ]);
    return { code: 0, out: out.stdout };
  } catch (e) {
    const failed = e as { code: number; stdout: string };
    return { code: failed.code, out: failed.stdout };
  }
}

describe('Chain heads after every entry (P15, Art. 5(2))', () => {
  it('stores a head for the newest entry, and audit-verify fails on an altered or a removed entry', async () => {
    // Prepare: a verified request; its newest entry's head, as staff see the chain
    const { id, code } = await file('heads@example.be');
    expect((await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code } })).status).toBe(200);
    const entries = await chain(id);
    const staff = await rt.staffToken('viewer');
    const before = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, { token: staff });
    const intact = await auditVerify(id);
    // Act: the second entry altered; then, restored, the newest entry removed
    const second = entries[1] as Record<string, unknown>;
    await doc.send(
      new PutCommand({ TableName: TABLE_NAMES.audit, Item: { ...second, action: 'request.rejected' } }),
    );
    const altered = await auditVerify(id);
    await doc.send(new PutCommand({ TableName: TABLE_NAMES.audit, Item: second }));
    const newest = (await chain(id)).at(-1) as { seq: string };
    await doc.send(
      new DeleteCommand({ TableName: TABLE_NAMES.audit, Key: { requestId: id, seq: newest.seq } }),
    );
    const cut = await auditVerify(id);
    const all = await auditVerify('--all');
    // Assess: intact before; each change is found, the removal by the head stored after the newest entry
    console.log(
      `audit-verify: intact ${intact.code}, altered ${altered.code}, cut ${cut.code}, all ${all.code}`,
    );
    expect(before.json.chain).toMatchObject({ intact: true });
    expect(intact).toEqual({ code: 0, out: expect.stringContaining(`${id} intact`) });
    expect(altered).toEqual({ code: 1, out: expect.stringContaining(`${id} broken at 2`) });
    expect(cut).toEqual({ code: 1, out: expect.stringContaining(`${id} broken at ${Number(newest.seq)}`) });
    expect(all.code).toBe(1);
  }, 120_000);
});
