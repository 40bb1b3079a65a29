// The identity check (P8): an address that leads to several customers parks the request until staff pick one;
// every step is safe to run again, and a pick reaches the workflow whether it comes before or after the wait.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../functions/core/decisions.ts';
import { awaitIdentityCheck, resolveIdentity } from '../../../functions/core/identity-check.ts';
import { fileRequest, verifyRequest } from '../../../functions/core/intake.ts';
import { recordResults } from '../../../functions/core/progress.ts';
import { fakeDeps } from '../../fixtures/fakes.ts';
import { refused } from '../../fixtures/problems.ts';

async function verifiedErasure() {
  const d = fakeDeps();
  const { id } = await fileRequest(
    d,
    { type: 'erasure', email: 'gezin.verstraete@example.be', language: 'nl' },
    '10.0.0.1',
  );
  await verifyRequest(d, id, /(\d{8})/.exec(d.mailer.sent[0]!.text)![1]!);
  return { d, id, deps: { ...d, customerRef: (n: string) => `c_${n.length}` } };
}

const ambiguous = (system: 'billing' | 'crm') => ({
  system,
  operation: 'locate' as const,
  located: { found: true, records: 4, categories: [], customers: 2 },
  outcomes: [{ kind: 'ambiguous' as const, customers: 2, records: 4 }],
});
const found = (system: 'billing' | 'crm', records: number) => ({
  system,
  operation: 'locate' as const,
  located: { found: records > 0, records, categories: records > 0 ? ['contact'] : [] },
  outcomes: records > 0 ? [] : [{ kind: 'not_found' as const }],
});

describe('Identity check (P8)', () => {
  it('parks the request in awaiting_identity_check when an address leads to several customers, and refuses approval meanwhile (P8)', async () => {
    // Prepare: a verified erasure whose address two customers share.
    const { d, id } = await verifiedErasure();
    // Act: the locate is recorded.
    const answer = await recordResults(d, id, [ambiguous('billing'), found('crm', 0)]);
    // Assess: it waits for staff; nothing is done; approval is refused.
    expect(answer).toMatchObject({ allDone: false, identityCheck: true });
    const r = d.store.items.get(id)!;
    expect(r.status).toBe('awaiting_identity_check');
    expect(r.systems.billing?.state).toBe('pending');
    await expect(refused(decide(d, id, 'staff-1', { approved: true }))).resolves.toMatchObject({
      status: 409,
    });
    expect(d.audit.entries.map((e) => e.action)).toContain('identity.check_needed');
  });

  it('hands a pick made before the wait to the parked task at once, and the restarted locate goes on (P8)', async () => {
    // Prepare: an ambiguous locate, then staff pick before the workflow parks.
    const { d, id, deps } = await verifiedErasure();
    await recordResults(d, id, [ambiguous('billing')]);
    await resolveIdentity(deps, id, 'staff-1', 'C-100845');
    // Act: the workflow parks its task, then locates again for the picked person.
    await awaitIdentityCheck(d, id, 'token-1');
    const again = await recordResults(d, id, [found('billing', 5)]);
    // Assess: resumed at once; no second wait; the approval is asked next; the pick is audited by its hash.
    expect(d.workflow.resumed).toEqual([{ token: 'token-1', output: { resolved: true } }]);
    expect(again).toMatchObject({ allDone: false, identityCheck: false });
    expect(d.store.items.get(id)?.status).toBe('awaiting_approval');
    expect(d.store.items.get(id)?.systems.billing?.outcomes).toBeUndefined();
    const pick = d.audit.entries.find((e) => e.action === 'identity.resolved');
    expect(pick).toMatchObject({ actor: 'staff:staff-1', details: { customerRef: 'c_8' } });
    expect(JSON.stringify(d.audit.entries)).not.toContain('C-100845');
  });

  it('keeps the located counts of the picked person when a locate begun before the pick lands after it (P8)', async () => {
    // Prepare: an ambiguous locate, the pick, and the locate for the picked person recorded.
    const { d, id, deps } = await verifiedErasure();
    await recordResults(d, id, [ambiguous('billing')]);
    await resolveIdentity(deps, id, 'staff-1', 'C-100845');
    await recordResults(d, id, [found('billing', 5)]);
    // Act: a restarted run's locate, begun before the pick, answers ambiguous afterwards.
    const late = await recordResults(d, id, [ambiguous('billing')]);
    // Assess: the stale answer changes nothing; the request does not wait for a pick again.
    expect(late).toMatchObject({ allDone: false, identityCheck: false });
    expect(d.store.items.get(id)?.systems.billing?.located).toMatchObject({ found: true, records: 5 });
    expect(d.store.items.get(id)?.systems.billing?.outcomes).toBeUndefined();
  });

  it('keeps the token while waiting and resumes it on the pick; a second pick is refused (P8)', async () => {
    // Prepare: an ambiguous locate and a parked task.
    const { d, id, deps } = await verifiedErasure();
    await recordResults(d, id, [ambiguous('billing')]);
    await awaitIdentityCheck(d, id, 'token-2');
    expect(d.workflow.resumed).toEqual([]);
    expect(d.mailer.sent.at(-1)?.to).toBe('privacy-team@jsm.be');
    // Act: staff pick, then pick again.
    await resolveIdentity(deps, id, 'staff-1', 'C-100845');
    const second = refused(resolveIdentity(deps, id, 'staff-2', 'C-100846'));
    // Assess: the parked task resumed once; the second pick is a 409 and changes nothing.
    await expect(second).resolves.toMatchObject({ status: 409 });
    expect(d.workflow.resumed).toEqual([{ token: 'token-2', output: { resolved: true } }]);
    expect(d.store.items.get(id)?.identity?.customerNumber).toBe('C-100845');
  });

  it('asks staff again when the picked customer is found in no system: a wrong pick acts for nobody (P8)', async () => {
    // Prepare: an ambiguous locate, and a pick of a number the address does not lead to.
    const { d, id, deps } = await verifiedErasure();
    await recordResults(d, id, [ambiguous('billing')]);
    await resolveIdentity(deps, id, 'staff-1', 'C-999999');
    // Act: the locate for the picked person finds nothing anywhere.
    const again = await recordResults(d, id, [found('billing', 0), found('crm', 0)]);
    // Assess: back to waiting, the pick dropped, and audited as unmatched.
    expect(again.identityCheck).toBe(true);
    const r = d.store.items.get(id)!;
    expect(r.status).toBe('awaiting_identity_check');
    expect(r.identity).toBeUndefined();
    expect(d.audit.entries.map((e) => e.action)).toContain('identity.unmatched');
  });

  it('refuses a pick for a request that does not wait for one (P8)', async () => {
    // Prepare: a verified erasure whose address leads to one person.
    const { d, id, deps } = await verifiedErasure();
    await recordResults(d, id, [found('billing', 3)]);
    // Act
    const pick = refused(resolveIdentity(deps, id, 'staff-1', 'C-100845'));
    // Assess: 409, nothing recorded.
    await expect(pick).resolves.toMatchObject({ status: 409 });
    expect(d.store.items.get(id)?.identity).toBeUndefined();
  });

  it('lets staff reject a request whose person cannot be established while it waits, and the parked task goes on to tell (P8, Art. 12(2))', async () => {
    // Prepare: an ambiguous locate and a parked identity check.
    const { d, id } = await verifiedErasure();
    await recordResults(d, id, [ambiguous('billing')]);
    await awaitIdentityCheck(d, id, 'token-3');
    // Act: staff reject; approving instead would be refused.
    const approve = refused(decide(d, id, 'staff-1', { approved: true }));
    await decide(d, id, 'staff-1', { approved: false, reason: 'identity_not_established' });
    // Assess: approval refused; rejected with the reason; the parked task resumed without a pick.
    await expect(approve).resolves.toMatchObject({ status: 409 });
    const r = d.store.items.get(id)!;
    expect(r.status).toBe('rejected');
    expect(r.rejection?.reason).toBe('identity_not_established');
    expect(r.identity).toBeUndefined();
    expect(d.workflow.resumed).toEqual([{ token: 'token-3', output: { resolved: false } }]);
    // Act: the workflow locates again (still ambiguous).
    const again = await recordResults(d, id, [ambiguous('billing')]);
    // Assess: it does not wait again: it goes on to tell the subject of the rejection.
    expect(again.identityCheck).toBe(false);
    expect(d.store.items.get(id)?.status).toBe('rejected');
  });

  it('hands a rejection made before the identity check parked to the task at once, instead of waiting for ever (P8, Art. 12(4))', async () => {
    // Prepare: an ambiguous locate, and staff rejecting before the wait has parked its task
    const { d, id } = await verifiedErasure();
    await recordResults(d, id, [ambiguous('billing')]);
    await decide(d, id, 'staff-1', { approved: false, reason: 'identity_not_established' });
    // Act: the wait parks now
    await awaitIdentityCheck(d, id, 'token-4');
    // Assess: resumed at once without a pick, no token kept, no one asked to pick
    expect(d.workflow.resumed).toEqual([{ token: 'token-4', output: { resolved: false } }]);
    expect(d.store.items.get(id)?.identityToken).toBeUndefined();
    expect(d.audit.entries.map((e) => e.action)).not.toContain('identity.check_requested');
  });
});
