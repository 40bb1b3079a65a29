import { describe, expect, it } from 'vitest';
import { eraseInMarketing } from '../../../functions/connectors/marketing/connector.ts';
import type { SuppressInput, SuppressionStore } from '../../../functions/core/ports.ts';
import type { Outcome } from '../../../functions/core/schemas.ts';
import {
  isSuppressed,
  listsSuppressedBy,
  type SuppressionEntry,
  suppressionKey,
  suppressionUpdate,
} from '../../../functions/core/suppression.ts';

const entry = {
  ...suppressionKey('s_abc123'),
  subjectRef: 's_abc123',
  lists: new Set(['newsletter']),
  reasons: new Set(['opt_out']),
  since: '2026-02-16T09:30:00.000Z',
  updatedAt: '2026-02-16T09:30:00.000Z',
};

describe('Suppression (P5, P6)', () => {
  it('suppresses every list after an objection to direct marketing, none for profiling alone (P6, Art. 21(3))', () => {
    // Prepare: objection scopes. Act: the lists they suppress. Assess:
    expect(listsSuppressedBy(['direct_marketing'])).toEqual(['newsletter', 'direct_mailing']);
    expect(listsSuppressedBy(['profiling'])).toEqual([]);
    expect(listsSuppressedBy(['direct_marketing', 'profiling'])).toEqual(['newsletter', 'direct_mailing']);
  });

  it('keeps a subject off the lists the entry names, and off every list when the entry cannot be read (P5, P6)', () => {
    // Prepare: an entry naming the newsletter (above). Act: ask per list. Assess:
    expect(isSuppressed(entry, 'newsletter')).toBe(true);
    expect(isSuppressed(entry, 'direct_mailing')).toBe(false);
    expect(isSuppressed(undefined, 'newsletter')).toBe(false);
    expect(isSuppressed({ pk: 'SUPPRESSED#s_x', sk: 'SUPPRESSION' }, 'direct_mailing')).toBe(true);
  });

  it('keys the entry by the keyed hash and never by an address (P6)', () => {
    // Prepare: an objection at a fixed instant. Act: shape the update.
    const update = suppressionUpdate({
      subjectRef: 's_abc123',
      lists: ['newsletter', 'direct_mailing'],
      reason: 'objection',
      now: new Date('2026-02-16T09:30:00Z'),
    });

    // Assess: keyed by the hash, no address anywhere; an address as key is refused.
    expect(update.Key).toEqual({ pk: 'SUPPRESSED#s_abc123', sk: 'SUPPRESSION' });
    expect(update.UpdateExpression).toMatch(/^ADD lists :lists, reasons :reasons SET/);
    expect(JSON.stringify([...Object.values(update.ExpressionAttributeValues)])).not.toContain('@');
    expect(() =>
      suppressionUpdate({
        subjectRef: 'an.devos@example.be',
        lists: ['newsletter'],
        reason: 'objection',
        now: new Date(),
      }),
    ).toThrow();
  });
});

/** A suppression store in memory that records every call, and an erase that records when it ran. */
function fakes(erased: Outcome[]) {
  const calls: string[] = [];
  const entries = new Map<string, SuppressionEntry>();
  const suppressions: SuppressionStore = {
    async suppress(input: SuppressInput) {
      calls.push(`suppress ${input.lists.join(',')} ${String(input.reason)}`);
      const old = entries.get(input.subjectRef);
      const reasons = typeof input.reason === 'string' ? [input.reason] : input.reason;
      const now = input.now.toISOString();
      const entry: SuppressionEntry = {
        pk: suppressionKey(input.subjectRef).pk,
        sk: 'SUPPRESSION',
        subjectRef: input.subjectRef,
        lists: [...new Set([...(old?.lists ?? []), ...input.lists])].sort(),
        reasons: [...new Set([...(old?.reasons ?? []), ...reasons])].sort(),
        since: old?.since ?? now,
        updatedAt: now,
      };
      entries.set(input.subjectRef, entry);
      return entry;
    },
    async read(ref) {
      return entries.get(ref);
    },
  };
  const base = {
    async erase() {
      calls.push('erase');
      return erased;
    },
  };
  return { calls, entries, base, store: { suppressions } };
}

const ctx = { requestId: 'r_erasure000000000000000000', now: new Date('2026-11-25T09:00:00Z') };

describe('Connector: marketing erasure keeps the erased person off every list (P3, Art. 17)', () => {
  it('suppresses her keyed hash on every list, with the reason erasure, before deleting her entries (P3)', async () => {
    // Prepare: she is on the newsletter
    const f = fakes([{ kind: 'erased', records: 1, category: 'marketing' }]);
    // Act
    const outcomes = await eraseInMarketing(
      f.base,
      f.store,
      { email: 'an@example.be', subjectRef: 's_an' },
      ctx,
    );
    // Assess: suppression first, then the erase; the answer names both; the entry holds the hash, no address
    expect(f.calls).toEqual(['suppress newsletter,direct_mailing erasure', 'erase']);
    expect(outcomes).toEqual([
      { kind: 'erased', records: 1, category: 'marketing' },
      { kind: 'suppressed', lists: ['direct_mailing', 'newsletter'] },
    ]);
    expect(f.entries.get('s_an')).toMatchObject({ reasons: ['erasure'], subjectRef: 's_an' });
    expect(JSON.stringify([...f.entries.values()])).not.toContain('@');
  });

  it('suppresses someone no list holds now, and says so instead of not_found (P3, Art. 17)', async () => {
    // Prepare: nothing of hers in marketing
    const f = fakes([{ kind: 'not_found' }]);
    // Act
    const outcomes = await eraseInMarketing(
      f.base,
      f.store,
      { email: 'x@example.be', subjectRef: 's_x' },
      ctx,
    );
    // Assess: an old list could still hold her: she is suppressed all the same
    expect(outcomes).toEqual([{ kind: 'suppressed', lists: ['direct_mailing', 'newsletter'] }]);
  });

  it('keeps the reasons of an earlier opt-out and reports the same on a repeat (P3, P5)', async () => {
    // Prepare: she opted out of the newsletter before; her entries are already gone
    const f = fakes([{ kind: 'not_found' }]);
    await f.store.suppressions.suppress({
      subjectRef: 's_an',
      lists: ['newsletter'],
      reason: 'opt_out',
      now: ctx.now,
    });
    // Act: erase twice
    const first = await eraseInMarketing(
      f.base,
      f.store,
      { email: 'an@example.be', subjectRef: 's_an' },
      ctx,
    );
    const second = await eraseInMarketing(
      f.base,
      f.store,
      { email: 'an@example.be', subjectRef: 's_an' },
      ctx,
    );
    // Assess: both reasons kept; the same answer twice
    expect(f.entries.get('s_an')?.reasons).toEqual(['erasure', 'opt_out']);
    expect(second).toEqual(first);
  });

  it('erases nothing without the pseudonymous id, which the suppression needs (P3)', async () => {
    // Prepare
    const f = fakes([{ kind: 'erased', records: 1, category: 'marketing' }]);
    // Act
    const outcomes = await eraseInMarketing(f.base, f.store, { email: 'an@example.be' }, ctx);
    // Assess: refused, not retryable; nothing done
    expect(outcomes).toEqual([{ kind: 'failed', retryable: false, reason: 'subject_ref_missing' }]);
    expect(f.calls).toEqual([]);
  });
});
