// The staff dashboard (P9): the open figures are the deadline sweep's own, and completions are counted per ISO week
// against the due date in force, with median and 95th-percentile days to complete per type.
import { describe, expect, it } from 'vitest';
import { DASHBOARD_WEEKS, dashboard, lastWeeks, percentile } from '../../../functions/core/dashboard.ts';
import { sweepDeadlines } from '../../../functions/core/deadline-sweep.ts';
import type { CompletedRequests } from '../../../functions/core/ports.ts';
import type { RequestRecord } from '../../../functions/core/request.ts';
import { memoryAudit, memoryMailer, memoryOpenRequests, memoryStore } from '../../fixtures/fakes.ts';
import { erased, requestRecord } from '../../fixtures/requests.ts';

const NOW = new Date('2026-06-17T10:00:00Z'); // a Wednesday; its ISO week starts on 15 June
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
let n = 0;
const id = () => `r_${String(++n).padStart(22, '0')}`;

function completed(store: { items: Map<string, RequestRecord> }): CompletedRequests {
  return {
    async *completedSince(from) {
      yield [...store.items.values()].filter((r) => r.status === 'completed' && r.receivedAt >= from);
    },
  };
}

async function setup() {
  const store = memoryStore();
  const add = (o: Partial<RequestRecord>) => {
    const rid = id();
    return store.create(requestRecord({ id: rid, pk: `REQ#${rid}`, ...o }));
  };
  // Open: one overdue, one due in 3 days, one partially completed with support failed, one unverified
  await add({ status: 'in_progress', dueAt: at(-1) });
  await add({ status: 'awaiting_approval', dueAt: at(3) });
  await add({
    status: 'partially_completed',
    dueAt: at(20),
    systems: { crm: erased(), support: { state: 'failed' } },
  });
  await add({ status: 'awaiting_verification', dueAt: at(2) });
  return { store, add };
}

describe('Staff dashboard (P9)', () => {
  it('shows the same open, due-this-week and overdue figures as the deadline sweep, by the same tally (P9)', async () => {
    // Prepare
    const { store } = await setup();
    const open = memoryOpenRequests(store);
    // Act
    const board = await dashboard({ open, completed: completed(store), now: () => NOW });
    const sweep = await sweepDeadlines(
      { open, store, audit: memoryAudit(), mailer: memoryMailer(), staffInbox: 'x@jsm.be', now: () => NOW },
      { reminderDays: [] },
    );
    // Assess
    expect(board.open).toMatchObject({ in_progress: 1, awaiting_approval: 1, partially_completed: 1 });
    expect(board.open).not.toHaveProperty('awaiting_verification');
    expect(board.overdue).toBe(sweep.totals.overdue);
    expect(board.dueThisWeek).toBe(sweep.totals.dueWithin7Days);
    expect([board.overdue, board.dueThisWeek]).toEqual([1, 1]);
    expect(board.failingSystems).toEqual([{ system: 'support', requests: 1 }]);
    expect(board.failingSystems).toEqual(sweep.failingSystems);
  });

  it('counts completions per ISO week as on time, late or within an extension, with days to complete per type (P9)', async () => {
    // Prepare: three access requests completed this week and one erasure 10 weeks ago
    const { store, add } = await setup();
    await add({ type: 'access', status: 'completed', receivedAt: at(-10), dueAt: at(5), closedAt: at(0) });
    await add({ type: 'access', status: 'completed', receivedAt: at(-40), dueAt: at(-10), closedAt: at(-1) });
    await add({
      type: 'access',
      status: 'completed',
      receivedAt: at(-50),
      dueAt: at(-20),
      extension: { reason: 'complexity', dueAt: at(5), at: at(-25), by: 'staff' },
      closedAt: at(-2),
    });
    await add({
      type: 'erasure',
      status: 'completed',
      receivedAt: at(-74),
      dueAt: at(-44),
      closedAt: at(-70),
    });
    // An old completion outside the 26 weeks
    await add({
      type: 'erasure',
      status: 'completed',
      receivedAt: at(-400),
      dueAt: at(-370),
      closedAt: at(-390),
    });
    // Act
    const board = await dashboard({
      open: memoryOpenRequests(store),
      completed: completed(store),
      now: () => NOW,
    });
    // Assess: 26 weeks, oldest first, this week last
    expect(board.completions).toHaveLength(DASHBOARD_WEEKS);
    expect(board.completions.at(-1)).toEqual({ week: '2026-06-15', onTime: 1, late: 1, extended: 1 });
    expect(board.completions.find((w) => w.week === '2026-04-06')).toEqual({
      week: '2026-04-06',
      onTime: 1,
      late: 0,
      extended: 0,
    });
    expect(board.completions.reduce((s, w) => s + w.onTime + w.late + w.extended, 0)).toBe(4);
    expect(board.daysToComplete.access).toEqual({ median: 39, p95: 48, completed: 3 });
    expect(board.daysToComplete.erasure).toEqual({ median: 4, p95: 4, completed: 1 });
    expect(board.daysToComplete.objection).toEqual({ median: null, p95: null, completed: 0 });
  });

  it('takes percentiles by nearest rank and lists the 26 Mondays up to this week', () => {
    // Act
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    const weeks = lastWeeks(NOW);
    // Assess
    expect([percentile(values, 50), percentile(values, 95), percentile([], 50)]).toEqual([10, 19, null]);
    expect(weeks[0]).toBe('2025-12-22');
    expect(weeks.at(-1)).toBe('2026-06-15');
  });
});
