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
    const [a, b, c] = build();
    expect(a?.prevHash).toBe(GENESIS);
    expect(b?.prevHash).toBe(a?.hash);
    expect(c?.prevHash).toBe(b?.hash);
    expect(firstBrokenLink(build())).toBe(-1);
  });

  it('detects an entry rewritten after the fact', () => {
    const chain = build();
    chain[1] = { ...chain[1]!, actor: 'staff:someone-else' };
    expect(firstBrokenLink(chain)).toBe(1);
  });

  it('verifies a chain whose details come back from storage with keys in another order', () => {
    const a = chainEntry(
      'r_1',
      undefined,
      { actor: 'system', action: 'systems.located', details: { crm: 1, billing: 2 } },
      new Date(),
    );
    const reordered = { ...a, details: { billing: 2, crm: 1 } };
    expect(firstBrokenLink([reordered])).toBe(-1);
  });

  it('detects a removed entry', () => {
    const chain = build();
    chain.splice(1, 1);
    expect(firstBrokenLink(chain)).toBe(1);
  });
});
