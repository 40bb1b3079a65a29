import { describe, expect, it } from 'vitest';
import { chainEntry, firstBrokenLink, GENESIS, verifyChain } from '../../../functions/core/audit.ts';

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

  it('finds two entries swapped, though each keeps its own hash (P15, Art. 5(2))', () => {
    // Prepare: a chain of three
    const chain = build();
    // Act: the second and third entries swapped
    const check = verifyChain([chain[0]!, chain[2]!, chain[1]!]);
    // Assess
    expect(check).toEqual({ intact: false, entries: 3, brokenAt: 2 });
  });

  it('verifies a closed chain against its stored head, with entries added after it (P15)', () => {
    // Prepare: a chain of three whose head was stored after the second, then a staff view appended
    const chain = build();
    const head = { seq: chain[1]!.seq, hash: chain[1]!.hash };
    // Act
    const check = verifyChain(chain, head);
    // Assess: intact, all three counted
    expect(check).toEqual({ intact: true, entries: 3 });
  });

  it('finds a chain rewritten whole after its head was stored, though every link holds (P15)', () => {
    // Prepare: the stored head of the original chain, and a consistent chain built again with another actor
    const original = build();
    const head = { seq: original[2]!.seq, hash: original[2]!.hash };
    const a = chainEntry(
      'r_1',
      undefined,
      { actor: 'subject', action: 'request.received' },
      new Date('2026-01-01'),
    );
    const b = chainEntry(
      'r_1',
      a,
      { actor: 'staff:other', action: 'request.approved' },
      new Date('2026-01-02'),
    );
    const c = chainEntry('r_1', b, { actor: 'system', action: 'request.closed' }, new Date('2026-01-03'));
    // Act
    const check = verifyChain([a, b, c], head);
    // Assess: every link holds, but the head does not match: broken at the head's entry
    expect(firstBrokenLink([a, b, c])).toBe(-1);
    expect(check).toEqual({ intact: false, entries: 3, brokenAt: 3 });
  });

  it('finds a chain rewritten whole though a new entry, and its head, came after the rewrite (P15, Art. 5(2))', () => {
    // Prepare: heads stored after each of three entries; the chain then rebuilt with another approver
    const original = build();
    const heads = original.map((e) => ({ seq: e.seq, hash: e.hash }));
    const a = chainEntry(
      'r_1',
      undefined,
      { actor: 'subject', action: 'request.received' },
      new Date('2026-01-01'),
    );
    const b = chainEntry(
      'r_1',
      a,
      { actor: 'staff:other', action: 'request.approved' },
      new Date('2026-01-02'),
    );
    const c = chainEntry('r_1', b, { actor: 'system', action: 'request.closed' }, new Date('2026-01-03'));
    const d = chainEntry(
      'r_1',
      c,
      { actor: 'staff:viewer', action: 'request.viewed' },
      new Date('2026-01-04'),
    );
    // Act: the newest head vouches for the rewritten chain
    const check = verifyChain([a, b, c, d], [...heads, { seq: d.seq, hash: d.hash }]);
    // Assess: the heads stored before the rewrite give it away
    expect(check.intact).toBe(false);
  });

  it('finds a chain cut short before its stored head, and names the first bad link by sequence number (P15)', () => {
    // Prepare: a chain of three, its head stored at the third
    const chain = build();
    const head = { seq: chain[2]!.seq, hash: chain[2]!.hash };
    // Act: the last entry deleted; separately, the second one rewritten
    const cut = verifyChain(chain.slice(0, 2), head);
    const rewritten = verifyChain([chain[0]!, { ...chain[1]!, action: 'request.rejected' }, chain[2]!]);
    // Assess
    expect(cut).toEqual({ intact: false, entries: 2, brokenAt: 3 });
    expect(rewritten).toEqual({ intact: false, entries: 3, brokenAt: 2 });
  });
});
