// The staff queue's rows and its "needs action" filter (P9, P15): days left in Brussels calendar days, what staff
// must act on, and no personal data in a row.
import { describe, expect, it } from 'vitest';
import { listQueue, needsAction, QueueQuery, queueItem } from '../../../functions/core/queue.ts';
import { memoryStore } from '../../fixtures/fakes.ts';
import { requestRecord } from '../../fixtures/requests.ts';

const NOW = new Date('2026-06-15T10:00:00Z');
const DAY = 86_400_000;
const due = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

describe('Staff queue (P9, P15)', () => {
  it('gives an open row its days left in Brussels calendar days, negative once overdue, and no address (P9, P15)', () => {
    // Prepare: one request due in three days, one due yesterday, one completed
    const soon = requestRecord({ dueAt: due(3) });
    const late = requestRecord({ dueAt: due(-1), status: 'awaiting_approval' });
    const done = requestRecord({ dueAt: due(-40), status: 'completed' });
    // Act
    const rows = [soon, late, done].map((r) => queueItem(r, NOW));
    // Assess
    expect(rows.map((r) => r.daysLeft)).toEqual([3, -1, undefined]);
    expect(rows[1]?.attention).toBe('overdue');
    expect(JSON.stringify(rows)).not.toContain(soon.email);
  });

  it('counts a request as needing action while it waits for staff, failed, or is due within a week (P9)', () => {
    // Prepare
    const cases: [Partial<Parameters<typeof requestRecord>[0]>, boolean][] = [
      [{ status: 'awaiting_approval', dueAt: due(25) }, true],
      [{ status: 'awaiting_identity_check', dueAt: due(25) }, true],
      [{ status: 'partially_completed', dueAt: due(25) }, true],
      [
        {
          status: 'in_progress',
          dueAt: due(25),
          failure: { reason: 'workflow_failed', at: due(-1), attempt: 1 },
        },
        true,
      ],
      [{ status: 'in_progress', dueAt: due(6) }, true],
      [{ status: 'in_progress', dueAt: due(-2) }, true],
      [{ status: 'in_progress', dueAt: due(8) }, false],
      [{ status: 'completed', dueAt: due(-2) }, false],
      [{ status: 'awaiting_verification', dueAt: due(1) }, false],
    ];
    // Act
    const found = cases.map(([overrides]) => needsAction(requestRecord(overrides), NOW));
    // Assess
    expect(found).toEqual(cases.map(([, expected]) => expected));
  });

  it('finds one request by its exact id, and none when its other filters do not match (P15)', async () => {
    // Prepare
    const store = memoryStore();
    const r = requestRecord({ id: 'r_0000000000000000000007', type: 'access', dueAt: due(20) });
    await store.create(r);
    // Act
    const hit = await listQueue(store, QueueQuery.parse({ id: r.id }), NOW);
    const miss = await listQueue(store, QueueQuery.parse({ id: r.id, type: 'erasure' }), NOW);
    const none = await listQueue(store, QueueQuery.parse({ id: 'r_0000000000000000000008' }), NOW);
    // Assess
    expect(hit.items.map((i) => i.id)).toEqual([r.id]);
    expect(miss.items).toEqual([]);
    expect(none.items).toEqual([]);
  });

  it('refuses an unknown filter or a malformed id before reading anything', () => {
    // Act
    const unknown = QueueQuery.safeParse({ email: 'an@example.be' });
    const badId = QueueQuery.safeParse({ id: 'an@example.be' });
    const badAttention = QueueQuery.safeParse({ attention: 'overdue' });
    // Assess
    expect([unknown.success, badId.success, badAttention.success]).toEqual([false, false, false]);
  });
});
