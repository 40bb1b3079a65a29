// Manual tasks for systems without an API (P16, P17): the owner's signed link, the rules that turn an answer into
// the connector contract's outcomes, and the task's life on the request (opened once, answered once, reminded).
import { describe, expect, it } from 'vitest';
import { ManualSystem } from '../../../functions/connectors/generic/manual/config.ts';
import { retryable } from '../../../functions/connectors/retryable.ts';
import { ConnectorError } from '../../../functions/core/errors.ts';
import { answerProblem, answerResult } from '../../../functions/core/manual-answer.ts';
import { readTaskToken, taskToken } from '../../../functions/core/manual-task-token.ts';
import {
  answerManualTask,
  type ManualTaskDeps,
  openManualTask,
  remindOwners,
} from '../../../functions/core/manual-tasks.ts';
import { memoryAudit, memoryMailer, memoryStore, memoryWorkflow } from '../../fixtures/fakes.ts';
import { requestRecord } from '../../fixtures/requests.ts';

const SECRET = 'test-secret-of-thirty-two-characters!';
const DAY = 86_400_000;
const NOW = new Date('2026-06-15T08:00:00Z');
const DUE = '2026-07-10T08:00:00.000Z';
const CONFIG = ManualSystem.parse({
  name: 'paper-archive',
  kind: 'manual',
  label: { nl: 'Papieren archief', fr: 'Archives papier', en: 'Paper archive' },
  categories: ['identification', 'contract'],
  owner: { emails: ['archief@jsm.example'], language: 'en' },
  operations: ['erase', 'export'],
});
const CLAIMS = {
  requestId: 'r_0000000000000000000001',
  system: 'paper-archive',
  operation: 'erase' as const,
  attempt: 1,
};

function setup(overrides: Parameters<typeof requestRecord>[0] = {}) {
  let clock = NOW;
  const store = memoryStore();
  const audit = memoryAudit(() => clock);
  const mailer = memoryMailer();
  const workflow = memoryWorkflow();
  const deps: ManualTaskDeps = {
    store,
    audit,
    mailer,
    workflow,
    secret: SECRET,
    publicBaseUrl: 'https://privacy.jsm.example',
    now: () => clock,
    system: (name) => (name === 'paper-archive' ? CONFIG : undefined),
  };
  const r = requestRecord({
    id: CLAIMS.requestId,
    pk: `REQ#${CLAIMS.requestId}`,
    type: 'erasure',
    status: 'in_progress',
    dueAt: DUE,
    ...overrides,
  });
  return { deps, store, audit, mailer, workflow, r, setClock: (d: Date) => (clock = d) };
}
const call = (operation: string, taskTokenValue = 'sfn-token-1') =>
  ({ ...CLAIMS, operation, taskToken: taskTokenValue }) as Parameters<typeof openManualTask>[1];

describe('The owner’s link to a manual task (P17, P15)', () => {
  it('reads back the task it was signed for until a week after the due date, then answers expired', async () => {
    // Prepare
    const token = await taskToken(SECRET, CLAIMS, DUE);
    // Act
    const before = await readTaskToken(SECRET, token, new Date(Date.parse(DUE) + 6 * DAY));
    const after = await readTaskToken(SECRET, token, new Date(Date.parse(DUE) + 8 * DAY));
    // Assess
    expect(before).toEqual({ ok: true, claims: CLAIMS });
    expect(after).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a link signed with another key, altered, or of another kind of token', async () => {
    // Prepare
    const token = await taskToken(SECRET, CLAIMS, DUE);
    const [h, p, s] = token.split('.');
    const forged = await taskToken('another-secret-of-thirty-two-chars!!', CLAIMS, DUE);
    const altered = `${h}.${Buffer.from(JSON.stringify({ r: CLAIMS.requestId, s: 'crm', o: 'erase', a: 1 })).toString('base64url')}.${s}`;
    // Act
    const answers = await Promise.all(
      [forged, altered, `${h}.${p}`, 'not-a-token'].map((t) => readTaskToken(SECRET, t, NOW)),
    );
    // Assess
    for (const a of answers) expect(a).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('What an owner’s answer means for the workflow (P3, P1, P17)', () => {
  it('turns done with counts into erased outcomes per category, and nothing held into not_found', () => {
    // Prepare
    const task = { system: 'paper-archive', operation: 'erase' as const };
    const r = { type: 'erasure' as const };
    // Act
    const done = answerResult(task, CONFIG, r, { kind: 'done', counts: { identification: 2, contract: 0 } });
    const none = answerResult(task, CONFIG, r, { kind: 'nothing_held' });
    // Assess
    expect(done.outcomes).toEqual([{ kind: 'erased', records: 2, category: 'identification' }]);
    expect(none.outcomes).toEqual([{ kind: 'not_found' }]);
  });

  it('refuses counts that are all zero, negative or of a category the system does not hold', () => {
    // Act
    const problems = ([{ contract: 0 }, { contract: -1 }, { financial: 3 }] as Record<string, number>[]).map(
      (counts) => answerProblem(CONFIG, 'erase', { kind: 'done', counts }),
    );
    // Assess
    expect(problems).toEqual(['counts', 'counts', 'counts']);
    expect(answerProblem(CONFIG, 'erase', { kind: 'done', counts: { contract: 4 } })).toBeUndefined();
  });

  it('takes an extract as one exported file with its records, bytes and hash, and refuses one that is no table', () => {
    // Prepare
    const body = Buffer.from('contract,signed\nC-1,2019-03-01\nC-2,2021-11-12\n');
    const extract = { kind: 'extract' as const, extract: { format: 'csv' as const, body } };
    // Act
    const result = answerResult(
      { system: 'paper-archive', operation: 'export' },
      CONFIG,
      { type: 'access' },
      extract,
    );
    const problem = answerProblem(CONFIG, 'export', {
      kind: 'extract',
      extract: { format: 'json', body: Buffer.from('{"a":1}') },
    });
    const tooLarge = answerProblem(CONFIG, 'export', {
      kind: 'extract',
      extract: { format: 'json', body: Buffer.alloc(CONFIG.upload.maxBytes + 1, 32) },
    });
    // Assess
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        kind: 'exported',
        purpose: 'access',
        records: 2,
        files: [expect.objectContaining({ name: 'extract.csv', records: 2, bytes: body.length })],
      }),
    ]);
    expect(problem).toBe('file');
    expect(tooLarge).toBe('size');
  });
});

describe('A manual task on the request (P17, P9)', () => {
  it('parks an erasure as an open task and mails the owner a link with no personal data', async () => {
    // Prepare
    const { deps, store, mailer, workflow, r } = setup();
    await store.create(r);
    // Act
    const state = await openManualTask(deps, call('erase'));
    // Assess
    expect(state).toBe('parked');
    expect(workflow.resumed).toEqual([]);
    expect((await store.get(r.id))?.manualTasks?.['paper-archive:erase']).toMatchObject({
      state: 'open',
      attempt: 1,
    });
    expect(mailer.sent.map((m) => m.to)).toEqual(['archief@jsm.example']);
    expect(mailer.sent[0]?.text).toContain('https://privacy.jsm.example/tasks/');
    expect(mailer.sent[0]?.text).not.toContain(r.email);
  });

  it('answers a locate at once without asking the owner, and an operation the owner cannot do as skipped', async () => {
    // Prepare
    const { deps, store, mailer, workflow, r } = setup();
    await store.create(r);
    // Act
    await openManualTask(deps, call('locate', 't-locate'));
    await openManualTask(deps, call('rectify', 't-rectify'));
    // Assess
    expect(mailer.sent).toEqual([]);
    expect(workflow.resumed).toEqual([
      {
        token: 't-locate',
        output: expect.objectContaining({ located: expect.objectContaining({ found: true }) }),
      },
      {
        token: 't-rectify',
        output: expect.objectContaining({ outcomes: [{ kind: 'skipped', reason: 'not_supported' }] }),
      },
    ]);
  });

  it('records the answer once and resumes the parked task once; a second answer changes nothing', async () => {
    // Prepare
    const { deps, store, workflow, r } = setup();
    await store.create(r);
    await openManualTask(deps, call('erase'));
    const answer = { kind: 'done' as const, counts: { contract: 3 } };
    // Act
    const first = await answerManualTask(deps, CLAIMS, answer, async () => {});
    const second = await answerManualTask(deps, CLAIMS, answer, async () => {});
    // Assess
    expect(first).toEqual({ kind: 'recorded' });
    expect(second).toEqual({ kind: 'already_answered' });
    expect(workflow.resumed).toEqual([
      {
        token: 'sfn-token-1',
        output: expect.objectContaining({ outcomes: [{ kind: 'erased', records: 3, category: 'contract' }] }),
      },
    ]);
  });

  it('turns a passing mail fault into a ConnectorError the workflow retries, and the retry opens the task once', async () => {
    // Prepare: the owner's mail meets one SES 503, as the fault suite injects.
    const { deps, store, mailer, audit, r } = setup();
    await store.create(r);
    let failures = 1;
    const flaky: ManualTaskDeps = {
      ...deps,
      mailer: {
        async send(mail) {
          if (failures-- > 0)
            throw Object.assign(new Error('Service unavailable'), { name: 'Unknown', $fault: 'server' });
          await mailer.send(mail);
        },
      },
    };
    const open = () => retryable('paper-archive', 'erase', () => openManualTask(flaky, call('erase')));
    // Act
    const first = await open().catch((e: unknown) => e);
    const second = await open();
    // Assess
    expect(first).toBeInstanceOf(ConnectorError);
    expect((first as ConnectorError).message).not.toContain(r.email);
    expect(second).toBe('parked');
    expect(mailer.sent).toHaveLength(1);
    expect(audit.entries.filter((e) => e.action === 'manual_task.opened')).toHaveLength(1);
  });

  it('hands a restarted run the answer already given instead of mailing the owner again', async () => {
    // Prepare
    const { deps, store, mailer, workflow, r } = setup();
    await store.create(r);
    await openManualTask(deps, call('erase'));
    await answerManualTask(deps, CLAIMS, { kind: 'nothing_held' }, async () => {});
    // Act
    const state = await openManualTask(deps, call('erase', 'sfn-token-2'));
    // Assess
    expect(state).toBe('answered');
    expect(mailer.sent).toHaveLength(1);
    expect(workflow.resumed.at(-1)).toEqual({
      token: 'sfn-token-2',
      output: expect.objectContaining({ outcomes: [{ kind: 'not_found' }] }),
    });
  });

  it('reminds the owner of an open task once its reminder interval has passed, and not before', async () => {
    // Prepare
    const { deps, store, mailer, r, setClock } = setup();
    await store.create(r);
    await openManualTask(deps, call('erase'));
    // Act
    setClock(new Date(NOW.getTime() + 2 * DAY));
    const early = await remindOwners(deps, (await store.get(r.id)) ?? r);
    setClock(new Date(NOW.getTime() + 3 * DAY));
    const due = await remindOwners(deps, (await store.get(r.id)) ?? r);
    const again = await remindOwners(deps, (await store.get(r.id)) ?? r);
    // Assess
    expect([early, due, again]).toEqual([0, 1, 0]);
    expect(mailer.sent.map((m) => m.subject)).toEqual([
      `Task for Paper archive (erasure, request ${r.id})`,
      `Reminder: task for Paper archive (erasure, request ${r.id})`,
    ]);
  });
});
