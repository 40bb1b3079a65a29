import { describe, expect, it } from 'vitest';
import {
  isSuppressed,
  listsSuppressedBy,
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
