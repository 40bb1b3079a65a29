import { describe, expect, it } from 'vitest';
import { chainEntry, firstBrokenLink, GENESIS } from '../../../functions/core/audit.ts';

describe('Audit trail (P15)', () => {
  const build = () => {
    const a = chainEntry(
      'r_1',
      undefined,
      { actor: 'subject', action: 'request.received' },
      new Date('2026-01-01'),
    );
    const b = chainEntry(
      'r_1',
      a,
      { actor: 'staff:abc', action: 'request.approved' },
      new Date('2026-01-02'),
    );
    const c = chainEntry(
      'r_1',
      b,
      { actor: 'system', action: 'request.closed', details: { status: 'completed' } },
      new Date('2026-01-03'),
    );
    return [a, b, c];
  };

  it('links each entry to the hash of the one before', () => {
    // Act: chain three entries
    const [a, b, c] = build();
    // Assess: each points at the hash before it, the first at GENESIS, and the chain verifies
    expect(a?.prevHash).toBe(GENESIS);
    expect(b?.prevHash).toBe(a?.hash);
    expect(c?.prevHash).toBe(b?.hash);
    expect(firstBrokenLink(build())).toBe(-1);
  });

  it('detects an entry rewritten after the fact', () => {
    // Prepare: a chain of three
    const chain = build();
    // Act: rewrite the actor of the second entry
    chain[1] = { ...chain[1]!, actor: 'staff:someone-else' };
    // Assess: the check points at that entry
    expect(firstBrokenLink(chain)).toBe(1);
  });

  it('verifies a chain whose details come back from storage with keys in another order', () => {
    // Prepare: an entry whose details have two keys
    const a = chainEntry(
      'r_1',
      undefined,
      { actor: 'system', action: 'systems.located', details: { crm: 1, billing: 2 } },
      new Date(),
    );
    // Act: read it back with the keys in the other order
    const reordered = { ...a, details: { billing: 2, crm: 1 } };
    // Assess: the chain still verifies
    expect(firstBrokenLink([reordered])).toBe(-1);
  });

  it('detects a removed entry', () => {
    // Prepare: a chain of three
    const chain = build();
    // Act: remove the middle entry
    chain.splice(1, 1);
    // Assess: the check points at the gap
    expect(firstBrokenLink(chain)).toBe(1);
  });
});
