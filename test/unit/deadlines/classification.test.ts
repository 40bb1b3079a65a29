// How the deadline sweep classifies one open request at an instant (P9, Art. 12(3)–(4)): its place among the
// figures, the staff reminder due, and whether the subject must have the interim answer now.
import { describe, expect, it } from 'vitest';
import { attentionOf, classifyDeadline, WATCHED_STATUSES } from '../../../functions/core/deadline-watch.ts';
import type { RequestRecord } from '../../../functions/core/request.ts';
import { erased, everyErased, requestRecord } from '../../fixtures/requests.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-06-15T10:00:00Z');
const STEPS = [10, 5, 1];
/** A request due `days` from NOW (negative: past), otherwise as the fixture has it. */
const dueIn = (days: number, overrides: Partial<RequestRecord> = {}) =>
  requestRecord({ dueAt: new Date(NOW.getTime() + days * DAY).toISOString(), ...overrides });
const failedSupport = { ...everyErased(), support: { state: 'failed' as const, outcomes: [] } };

describe('Deadline sweep: classification (P9)', () => {
  it.each([
    // days left, within 7, within 2, overdue
    [28, false, false, false],
    [7.5, false, false, false],
    [6.9, true, false, false],
    [1.9, true, true, false],
    [0.01, true, true, false],
    [0, false, false, true],
    [-3, false, false, true],
  ])(
    'with %s days left counts it within 7 days: %s, within 2 days: %s, overdue: %s',
    (days, w7, w2, late) => {
      // Act
      const s = classifyDeadline(dueIn(days), NOW, STEPS);
      // Assess
      expect([s.within7Days, s.within2Days, s.overdue]).toEqual([w7, w2, late]);
    },
  );

  it.each([
    // days left, steps already sent, step to send now (undefined: none), steps it makes good
    [12, [], undefined, []],
    [9.5, [], '10', ['10']],
    [9.5, ['10'], undefined, []],
    [4, [], '5', ['10', '5']],
    [4, ['10'], '5', ['5']],
    [4, ['10', '5'], undefined, []],
    [0.5, ['10', '5'], '1', ['1']],
    [0.5, ['10', '5', '1'], undefined, []],
    [-0.1, ['10', '5', '1'], 'overdue', ['overdue']],
    [-2, [], 'overdue', ['10', '5', '1', 'overdue']],
    [-2, ['10', '5', '1', 'overdue'], undefined, []],
  ])(
    'with %s days left and %j sent, reminds staff of step %s once (covering %j)',
    (days, sent, step, covers) => {
      // Prepare: the steps already recorded for this due date
      const r = dueIn(days);
      r.deadline = { dueAt: r.dueAt, reminded: sent as string[] };
      // Act
      const s = classifyDeadline(r, NOW, STEPS);
      // Assess
      expect(s.reminder?.step).toBe(step);
      expect(s.reminder?.covers ?? []).toEqual(covers);
    },
  );

  it('starts the reminder steps afresh for an extended due date, and reads the steps as configured', () => {
    // Prepare: every step sent for the first due date, then extended by a month
    const r = dueIn(-1);
    r.deadline = { dueAt: r.dueAt, reminded: ['10', '5', '1', 'overdue'] };
    r.extension = {
      reason: 'complexity',
      dueAt: new Date(NOW.getTime() + 2.5 * DAY).toISOString(),
      at: NOW.toISOString(),
      by: 'staff:approver',
    };
    // Act: classify with the default steps and with steps of 14 and 3 days
    const byDefault = classifyDeadline(r, NOW, STEPS);
    const configured = classifyDeadline(r, NOW, [3, 14]);
    // Assess: the extended date is in force, not overdue; 5 days by default, 3 days as configured
    expect(byDefault.overdue).toBe(false);
    expect(byDefault.reminder).toEqual({ step: '5', covers: ['10', '5'] });
    expect(configured.reminder).toEqual({ step: '3', covers: ['14', '3'] });
  });

  it.each([
    // case, days left to the first due date, extension, status, systems, interim sent, extension possible, interim due
    ['not extended, 4 days left', 4, undefined, 'partially_completed', failedSupport, false, true, false],
    ['not extended, 2.5 days left', 2.5, undefined, 'partially_completed', failedSupport, false, true, true],
    ['not extended, due passed', -1, undefined, 'partially_completed', failedSupport, false, false, true],
    ['extended, first due in 2 days', 2, 40, 'partially_completed', failedSupport, false, false, false],
    [
      'extended, 1.5 days to the new date',
      -20,
      1.5,
      'partially_completed',
      failedSupport,
      false,
      false,
      false,
    ],
    [
      'extended, 0.5 days to the new date',
      -20,
      0.5,
      'partially_completed',
      failedSupport,
      false,
      false,
      true,
    ],
    [
      'already answered for this date',
      2.5,
      undefined,
      'partially_completed',
      failedSupport,
      true,
      true,
      false,
    ],
    ['in progress, nothing failed', 2.5, undefined, 'in_progress', everyErased(), false, true, false],
    ['awaiting approval', -1, undefined, 'awaiting_approval', {}, false, false, false],
  ] as const)(
    '%s: extension possible %s… interim due %s (Art. 12(3)–(4))',
    (_case, days, extendedTo, status, systems, sent, possible, due) => {
      // Prepare
      const r = dueIn(days, { status, systems: structuredClone(systems) as RequestRecord['systems'] });
      if (extendedTo !== undefined)
        r.extension = {
          reason: 'complexity',
          dueAt: new Date(NOW.getTime() + extendedTo * DAY).toISOString(),
          at: NOW.toISOString(),
          by: 'staff:approver',
        };
      if (sent) r.deadline = { dueAt: r.dueAt, reminded: [], interimAt: NOW.toISOString() };
      // Act
      const s = classifyDeadline(r, NOW, STEPS);
      // Assess
      expect(s.extensionPossible).toBe(possible);
      expect(s.interimDue).toBe(due);
    },
  );

  it('gives the interim answer after a failed workflow, but not once every system acted and the subject was told', () => {
    // Prepare: a workflow that failed while awaiting approval, and one that failed after the answer went out
    const stuck = dueIn(2, { status: 'awaiting_approval', systems: {} });
    stuck.failure = { reason: 'workflow_failed', at: NOW.toISOString(), attempt: 1 };
    const told = dueIn(2, {
      status: 'partially_completed',
      // an erasure counts as acted on only with the fresh look that agrees (P3)
      systems: { crm: { ...erased(), recheck: { attempt: 1, agrees: true, live: 0, kept: 0 } } },
      toldAt: NOW.toISOString(),
    });
    // Act
    const [a, b] = [classifyDeadline(stuck, NOW, STEPS), classifyDeadline(told, NOW, STEPS)];
    // Assess
    expect([a.needsAction, a.interimDue]).toEqual([true, true]);
    expect([b.needsAction, b.interimDue]).toEqual([true, false]);
  });

  it.each([
    ['closed 25 hours ago', 25, true],
    ['closed 23 hours ago', 23, false],
  ])(
    'counts a partially completed request %s as partially completed for more than a day: %s',
    (_c, hours, over) => {
      // Prepare
      const r = dueIn(20, {
        status: 'partially_completed',
        closedAt: new Date(NOW.getTime() - hours * 3_600_000).toISOString(),
      });
      // Act / Assess
      expect(classifyDeadline(r, NOW, STEPS).partialOverADay).toBe(over);
    },
  );

  it('watches verified requests that are not final, and flags for staff what needs them first', () => {
    // Assess: neither unverified nor final requests are watched
    expect(WATCHED_STATUSES).toEqual([
      'awaiting_identity_check',
      'awaiting_approval',
      'in_progress',
      'partially_completed',
    ]);
    // Prepare: a failed workflow, a failed system, a breach, a request on time, a completed one past its date
    const failed = dueIn(5, { status: 'awaiting_approval' });
    failed.failure = { reason: 'workflow_failed', at: NOW.toISOString(), attempt: 1 };
    const retried = dueIn(5, { status: 'in_progress', attempt: 2 });
    retried.failure = { reason: 'workflow_failed', at: NOW.toISOString(), attempt: 1 };
    // Act / Assess
    expect(attentionOf(failed, NOW)).toBe('workflow_failed');
    expect(attentionOf(retried, NOW)).toBeUndefined();
    expect(attentionOf(dueIn(5, { status: 'partially_completed' }), NOW)).toBe('partially_completed');
    expect(attentionOf(dueIn(-1, { status: 'awaiting_approval' }), NOW)).toBe('overdue');
    expect(attentionOf(dueIn(5), NOW)).toBeUndefined();
    expect(attentionOf(dueIn(-1, { status: 'completed' }), NOW)).toBeUndefined();
  });
});
