// Crashes (issue 10): the runtime, DynamoDB Local's Java with it, killed with SIGKILL at seeded random moments while
// 20 requests of every type run, and started again on the same data, several times. Every request resumes and
// completes; none is lost; no effect happens twice (one outcome mail per request, one effective notice per
// recipient, one erasure per system); every audit chain verifies, with each fact once (P3, Art. 5(2), Art. 12(3)).
// FAULT_SEED replays the moments of a run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditChain } from '../../functions/aws/audit-log.ts';
import { verifyChain } from '../../functions/core/audit.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { seeded } from '../../local/faults.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, eventually, inbox } from '../helpers/api.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { keepRuntimeLog, whereItStopped } from '../helpers/faults.ts';
import { fileAndVerify } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 1_000_000));
const KILLS = 5;
const SYSTEMS = ['billing', 'crm', 'support', 'marketing'] as const;
// Facts the workflow records once per attempt; a restarted run must not write them again (issue 10).
const ONCE = ['workflow.started', 'systems.located', 'approval.requested', 'systems.acted', 'request.closed'];
let rt: Runtime;

beforeAll(async () => {
  rt = await startRuntime({
    clock: '2026-11-25T09:00:00Z',
    env: { RATE_LIMIT_PER_ADDRESS: '100000', RATE_LIMIT_PER_SOURCE: '100000' },
  });
});

afterAll(async () => {
  await rt?.stop();
});

/** A call that a crash may cut off: undefined while the runtime is down or restarting. */
async function tolerant<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch {
    return undefined;
  }
}

interface Tracked {
  id: string;
  token: string;
  type: string;
  email: string;
  status?: string;
  systems?: { system: string; state: string; recheck?: { agrees: boolean; live: number } }[];
}

/** What one request came to, by the counts the assertions read. */
interface Row {
  id: string;
  type: string;
  status?: string;
  told: number;
  notices: number;
  noticesTwice: number;
  intact: boolean;
  closed: number;
  doubled: string[];
  erasedTwice: number;
  left: number;
}

/** Moves one request on as staff would (approves it when it waits), until it is completed or partially so. */
async function drive(r: Tracked, stop: () => boolean): Promise<void> {
  while (!stop()) {
    const s = await tolerant(() => call(rt.apiUrl, 'GET', `/requests/${r.id}`, { token: r.token }));
    if (s?.status === 200) {
      r.status = s.json.status as string;
      r.systems = s.json.systems as Tracked['systems'];
      if (r.status === 'completed' || r.status === 'partially_completed') return;
      if (r.status === 'awaiting_approval') {
        const approver = await rt.staffToken('approver');
        await tolerant(() => call(rt.apiUrl, 'POST', `/admin/requests/${r.id}/approve`, { token: approver }));
      }
    }
    await new Promise((done) => setTimeout(done, 300));
  }
}

describe('The runtime killed with SIGKILL, again and again', () => {
  it('resumes every request and completes it, none lost, no effect twice, every chain intact (P3, Art. 5(2))', async () => {
    keepRuntimeLog(() => rt);
    // Prepare: 20 verified requests of every type from seven customers (not Koen or Sarah: their shared mailbox
    // waits for staff to pick the person, P8)
    process.stdout.write(`[faults] kill: seed ${SEED} (FAULT_SEED=${SEED} replays it)\n`);
    const started = Date.now();
    const { an, jan, sophie, pieter, celine, noor, luc } = DEMO_CUSTOMERS;
    const plans: [string, Record<string, unknown>[]][] = [
      [
        an.email,
        [
          { type: 'portability' },
          { type: 'access' },
          { type: 'rectification', changes: { lastName: 'Devos' } },
          { type: 'objection', scope: ['direct_marketing'] },
        ],
      ],
      [
        jan.email,
        [
          { type: 'rectification', changes: { lastName: 'Peeters' } },
          { type: 'portability' },
          { type: 'objection', scope: ['direct_marketing'] },
          { type: 'access' },
        ],
      ],
      [
        sophie.email,
        [
          { type: 'access' },
          { type: 'objection', scope: ['direct_marketing'] },
          { type: 'rectification', changes: { lastName: 'Lambert' } },
        ],
      ],
      [
        pieter.email,
        [
          { type: 'portability' },
          { type: 'access' },
          { type: 'rectification', changes: { lastName: 'Wouters' } },
        ],
      ],
      [
        celine.email,
        [
          { type: 'access' },
          { type: 'portability' },
          { type: 'objection', scope: ['direct_marketing'] },
          { type: 'rectification', changes: { lastName: 'Dubois' } },
        ],
      ],
      [noor.email, [{ type: 'erasure' }]],
      [luc.email, [{ type: 'erasure' }]],
    ];
    const tracked: Tracked[] = [];
    await Promise.all(
      plans.map(async ([email, bodies]) => {
        for (const body of bodies) {
          const { id, token } = await fileAndVerify(rt, { ...body, email, language: 'en' }, [email]);
          tracked.push({ id, token, type: body.type as string, email });
        }
      }),
    );
    const filedIn = Date.now() - started;

    // Act: staff move every request on while the runtime is killed KILLS times at seeded moments, 0.5–5 s apart
    let done = false;
    const driving = Promise.all(tracked.map((r) => drive(r, () => done)));
    const draw = seeded(SEED);
    let kills = 0;
    for (let k = 0; k < KILLS; k++) {
      await new Promise((wait) => setTimeout(wait, 500 + Math.floor(draw() * 4500)));
      await rt.crashAndRestart();
      kills += 1;
    }
    await Promise.race([
      driving,
      // a bound on the wait, not an assertion: what has not finished by then is reported as not completed
      new Promise((wait) => setTimeout(wait, 90_000)),
    ]);
    done = true;
    await driving;

    // Assess: every request completed; figures for the rest gathered first, so a failure shows them all
    const doc = runtimeDocumentClient(rt.dynamodbEndpoint);
    const mails = await eventually(async () => inbox(rt.sesUrl), 10_000, 'the SES store');
    const keyOf = (m: { headers?: { name: string; value: string }[] }) =>
      m.headers?.find((h) => h.name.toLowerCase() === 'x-idempotency-key')?.value ?? '';
    const received = readFileSync(join(rt.dataDir, 'recipients', 'received.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { recipientId: string; idempotencyKey: string });
    const report: Row[] = [];
    for (const r of tracked) {
      const told = new Set(mails.map(keyOf).filter((k) => k.startsWith(`${r.id}:told:`))).size;
      // notices: per recipient, the distinct keys it recorded for this request (a repeat key it drops itself)
      const perRecipient = new Map<string, Set<string>>();
      for (const n of received.filter((x) => x.idempotencyKey.startsWith(`${r.id}:`)))
        perRecipient.set(n.recipientId, (perRecipient.get(n.recipientId) ?? new Set()).add(n.idempotencyKey));
      const noticesTwice = [...perRecipient.values()].filter((keys) => keys.size > 1).length;
      const chain = await readAuditChain(doc, TABLE_NAMES.audit, r.id);
      const actions = chain.map((e) => e.action);
      const doubled = ONCE.filter((a) => actions.filter((x) => x === a).length > 1);
      const erasures =
        r.type === 'erasure'
          ? await Promise.all(
              SYSTEMS.map(async (system) => {
                const ops = await doc.send(
                  new QueryCommand({
                    TableName: TABLE_NAMES.system(system),
                    KeyConditionExpression: 'pk = :pk',
                    ExpressionAttributeValues: { ':pk': `OPS#${r.id}` },
                  }),
                );
                return (ops.Items ?? []).filter((i) => String(i.sk).startsWith('erase#')).length;
              }),
            )
          : [];
      report.push({
        id: r.id,
        type: r.type,
        status: r.status,
        told,
        notices: perRecipient.size,
        noticesTwice,
        intact: verifyChain(chain).intact,
        closed: actions.filter((a) => a === 'request.closed').length,
        doubled,
        erasedTwice: erasures.filter((n) => n > 1).length,
        left: (r.systems ?? []).filter(
          (s) => r.type === 'erasure' && !(s.recheck?.agrees && s.recheck.live === 0),
        ).length,
      });
    }
    const count = (f: (x: Row) => boolean) => report.filter(f).length;
    process.stdout.write(
      `[faults] kill: ${tracked.length} requests (filed in ${Math.round(filedIn / 1000)} s), ${kills} kills survived, ` +
        `${Math.round((Date.now() - started) / 1000)} s in all; ${count((x) => x.status === 'completed')} completed; ` +
        `outcome mails ${report.reduce((a, x) => a + x.told, 0)} (${count((x) => x.told !== 1)} requests not told exactly once); ` +
        `notices to ${report.reduce((a, x) => a + x.notices, 0)} recipients (${report.reduce((a, x) => a + x.noticesTwice, 0)} effective repeats); ` +
        `erasures: ${count((x) => x.type === 'erasure')} requests, ${report.reduce((a, x) => a + x.erasedTwice, 0)} systems erased twice, ` +
        `${report.reduce((a, x) => a + x.left, 0)} systems with records left; audit: ${count((x) => !x.intact)} chains broken, ` +
        `${count((x) => x.closed !== 1)} without exactly one request.closed, ${count((x) => x.doubled.length > 0)} with a fact doubled\n`,
    );
    for (const x of report.filter((x) => x.status !== 'completed'))
      process.stdout.write(
        `[faults] kill: ${x.type} ${x.id} ${x.status}:\n${(await whereItStopped(rt, x.id)).join('\n')}\n`,
      );
    for (const x of report.filter((x) => x.closed !== 1 || x.doubled.length > 0 || x.status !== 'completed'))
      process.stdout.write(
        `[faults] kill: ${x.type} ${x.id} ${x.status}: request.closed ×${x.closed}, doubled ${x.doubled.join(', ') || 'none'}\n`,
      );

    expect(report.filter((x) => x.status !== 'completed')).toEqual([]);
    expect(report.filter((x) => x.told !== 1)).toEqual([]);
    expect(report.filter((x) => x.noticesTwice > 0)).toEqual([]);
    expect(report.filter((x) => x.erasedTwice > 0 || x.left > 0)).toEqual([]);
    expect(report.filter((x) => !x.intact)).toEqual([]);
    // the known gaps of issue 10 (core/progress.ts, the audit log): a kill between a state change and its entry
    expect(report.filter((x) => x.closed !== 1 || x.doubled.length > 0)).toEqual([]);
    expect(kills).toBe(KILLS);
    // five restarts of the runtime and Java take most of it
  }, 420_000);
});
