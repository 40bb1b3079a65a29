// The deadline sweep over in-memory ports (P9, Art. 12(3)–(4)): the figures per type and status, each staff reminder
// once per step, the interim answer once, and a failed workflow flagged for staff.
import { describe, expect, it } from 'vitest';
import { type DeadlineSweepDeps, sweepDeadlines } from '../../../functions/core/deadline-sweep.ts';
import type { RequestStore } from '../../../functions/core/ports.ts';
import type { RequestRecord } from '../../../functions/core/request.ts';
import { recordWorkflowFailure } from '../../../functions/core/workflow-failure.ts';
import { memoryAudit, memoryMailer, memoryOpenRequests, memoryStore } from '../../fixtures/fakes.ts';
import { erased, requestRecord } from '../../fixtures/requests.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-06-15T10:00:00Z');
const STAFF = 'privacy-team@jsm.be';

function setup(clock = { now: NOW }) {
  const store = memoryStore();
  const mailer = memoryMailer();
  const audit = memoryAudit();
  const deps: DeadlineSweepDeps = {
    open: memoryOpenRequests(store),
    store: store as RequestStore,
    audit,
    mailer,
    staffInbox: STAFF,
    now: () => clock.now,
  };
  const add = async (n: number, daysLeft: number, overrides: Partial<RequestRecord>) => {
    const id = `r_${String(n).padStart(22, '0')}`;
    const dueAt = new Date(NOW.getTime() + daysLeft * DAY).toISOString();
    await store.create(requestRecord({ id, pk: `REQ#${id}`, dueAt, ...overrides }));
    return id;
  };
  return { store, mailer, audit, deps, add, clock };
}

const failedSupport = () => ({
  crm: erased(),
  support: { state: 'failed' as const, outcomes: [] },
});

describe('Deadline sweep (P9)', () => {
  it('counts open requests by due date per type and status, and leaves unverified and final ones out', async () => {
    // Prepare: five watched requests of chosen ages, an unverified one and a completed one
    const { deps, add } = setup();
    await add(1, 28, { type: 'erasure', status: 'in_progress' });
    await add(2, 8.5, { type: 'access', status: 'awaiting_approval' });
    await add(3, 1.5, { type: 'erasure', status: 'awaiting_approval' });
    await add(4, -1, { type: 'rectification', status: 'in_progress' });
    await add(5, 20, {
      type: 'objection',
      status: 'partially_completed',
      systems: failedSupport(),
      closedAt: new Date(NOW.getTime() - 2 * DAY).toISOString(),
    });
    await add(6, 29, { status: 'awaiting_verification' });
    await add(7, -5, { status: 'completed' });
    // Act
    const result = await sweepDeadlines(deps, { reminderDays: [10, 5, 1] });
    // Assess: totals, and each group of type and status
    expect(result.totals).toEqual({
      open: 5,
      dueWithin7Days: 1,
      dueWithin2Days: 1,
      overdue: 1,
      partiallyCompletedOverADay: 1,
      needingAction: 1,
    });
    const group = (type: string, status: string) =>
      result.groups.find((g) => g.type === type && g.status === status)?.counts;
    expect(result.groups).toHaveLength(5);
    expect(group('erasure', 'awaiting_approval')).toEqual({
      open: 1,
      dueWithin7Days: 1,
      dueWithin2Days: 1,
      overdue: 0,
    });
    expect(group('rectification', 'in_progress')?.overdue).toBe(1);
  });

  it('reminds staff once per step, at 10, 5 and 1 days left and when overdue, with ids and dates only', async () => {
    // Prepare: one request, due in 11 days, swept as the days go by (twice at every instant)
    const { deps, add, mailer, store, audit, clock } = setup();
    const id = await add(1, 11, { status: 'awaiting_approval' });
    const sent: string[] = [];
    // Act
    for (const daysOn of [0, 1.5, 2, 6.5, 10.2, 11.5, 12]) {
      clock.now = new Date(NOW.getTime() + daysOn * DAY);
      for (let run = 0; run < 2; run++) await sweepDeadlines(deps, { reminderDays: [10, 5, 1] });
      sent.push(String(mailer.sent.length));
    }
    // Assess: one mail per step, none repeated, to the staff inbox; the address of the subject appears nowhere
    expect(sent).toEqual(['0', '1', '1', '2', '3', '4', '4']);
    expect(mailer.sent.map((m) => m.to)).toEqual([STAFF, STAFF, STAFF, STAFF]);
    expect(mailer.sent.map((m) => m.subject)).toEqual([
      `Reminder: request ${id} (awaiting_approval) is due in 10 days`,
      `Reminder: request ${id} (awaiting_approval) is due in 5 days`,
      `Reminder: request ${id} (awaiting_approval) is due in 1 day`,
      `Request ${id} (awaiting_approval) is past its due date`,
    ]);
    expect(JSON.stringify(mailer.sent)).not.toContain('an.devos@example.be');
    expect(new Set(mailer.sent.map((m) => m.idempotencyKey)).size).toBe(4);
    expect((await store.get(id))?.deadline?.reminded).toEqual(['10', '5', '1', 'overdue']);
    expect(audit.entries.filter((e) => e.action === 'deadline.reminded')).toHaveLength(4);
  });

  it('gives the subject of a partially completed request one interim answer, three days before the due date (Art. 12(3)–(4))', async () => {
    // Prepare: erasure partially completed, support failed, due in 4 days, not extended
    const { deps, add, mailer, store, clock } = setup();
    const id = await add(1, 4, { status: 'partially_completed', systems: failedSupport(), language: 'en' });
    // Act: swept at 4 days left, then twice at 2.5 days left
    await sweepDeadlines(deps, { reminderDays: [10, 5, 1] });
    const before = mailer.sent.filter((m) => m.to === 'an.devos@example.be').length;
    clock.now = new Date(NOW.getTime() + 1.5 * DAY);
    await sweepDeadlines(deps, { reminderDays: [10, 5, 1] });
    const second = await sweepDeadlines(deps, { reminderDays: [10, 5, 1] });
    // Assess: nothing before the window, one answer in it, naming what is done, what is pending and the authority
    const answers = mailer.sent.filter((m) => m.to === 'an.devos@example.be');
    expect(before).toBe(0);
    expect(answers).toHaveLength(1);
    expect(second.interimAnswers).toBe(0);
    expect(answers[0]?.subject).toBe('Your erasure request: where it stands');
    expect(answers[0]?.text).toContain('Already done in: Customer records.');
    expect(answers[0]?.text).toContain('Still to be done in: Customer support.');
    expect(answers[0]?.text).toContain('extend that period by at most two further months');
    expect(answers[0]?.text).toContain('contact@apd-gba.be');
    expect(answers[0]?.text).not.toContain('carried out your erasure request');
    expect((await store.get(id))?.deadline?.interimAt).toBe(clock.now.toISOString());
  });

  it('flags a request whose workflow failed, once, and makes an in-progress one partially completed for a retry', async () => {
    // Prepare: one request in progress, one awaiting approval, one already completed
    const { store, audit } = setup();
    const deps = { store: store as RequestStore, audit, now: () => NOW };
    for (const [n, status] of [
      [1, 'in_progress'],
      [2, 'awaiting_approval'],
      [3, 'completed'],
    ] as const) {
      const id = `r_${String(n).padStart(22, '0')}`;
      await store.create(requestRecord({ id, pk: `REQ#${id}`, status }));
    }
    const ids = [1, 2, 3].map((n) => `r_${String(n).padStart(22, '0')}`);
    // Act: each execution fails; the first twice, and an older attempt's end arrives too
    const results = [];
    for (const id of ids) results.push(await recordWorkflowFailure(deps, id, 1, 'FAILED'));
    const repeat = await recordWorkflowFailure(deps, ids[0]!, 1, 'FAILED');
    const older = await recordWorkflowFailure(deps, ids[1]!, 0, 'TIMED_OUT');
    // Assess: flagged once; in progress becomes partially completed, awaiting approval keeps its status
    expect(results.map((r) => [r.flagged, r.status])).toEqual([
      [true, 'partially_completed'],
      [true, 'awaiting_approval'],
      [false, 'completed'],
    ]);
    expect([repeat.flagged, older.flagged]).toEqual([false, false]);
    expect((await store.get(ids[0]!))?.failure).toEqual({
      reason: 'workflow_failed',
      at: NOW.toISOString(),
      attempt: 1,
    });
    expect(audit.entries.filter((e) => e.action === 'workflow.failed')).toHaveLength(2);
  });
});
