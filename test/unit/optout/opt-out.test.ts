// The one-click opt-out as a domain operation (P5, P6): off the list, suppressed, the processor told once.
import { describe, expect, it } from 'vitest';
import type { ConsentWithdrawals } from '../../../functions/core/ports.ts';
import { subjectRef } from '../../../functions/core/secrets.ts';
import type { MarketingList } from '../../../functions/core/suppression.ts';
import { type MarketingOptOutStore, optOut } from '../../../functions/core/unsubscribe.ts';
import { memoryAudit } from '../../fixtures/fakes.ts';
import { fakeNotifier, memoryNotices } from '../notify/fakes.ts';

const SECRET = 'k'.repeat(64);
const EMAIL = 'an.devos@example.be';
const now = () => new Date('2026-03-02T10:00:00Z');

function marketing(lists: Record<MarketingList, string[]>) {
  const suppressed = new Map<string, Set<MarketingList>>();
  const store: MarketingOptOutStore & { lists: typeof lists; suppressed: typeof suppressed } = {
    lists,
    suppressed,
    async isSuppressed(ref, list) {
      return suppressed.get(ref)?.has(list) ?? false;
    },
    async suppress(ref, list) {
      suppressed.set(ref, new Set([...(suppressed.get(ref) ?? []), list]));
    },
    async removeFromList(email, list) {
      const before = lists[list].length;
      lists[list] = lists[list].filter((e) => e !== email);
      return before - lists[list].length;
    },
  };
  return store;
}

/** CRM's consents in memory: address → purpose → the consent record; `withdrawals` counts each change. */
function crm(customers: Record<string, MarketingList[]>) {
  type Consent = { granted: boolean; withdrawnAt?: string; withdrawnChannel?: string; withdrawnBy?: string };
  const consents = new Map<string, Map<MarketingList, Consent>>(
    Object.entries(customers).map(([email, purposes]) => [
      email,
      new Map(purposes.map((p) => [p, { granted: true }] as const)),
    ]),
  );
  const store: ConsentWithdrawals & { consents: typeof consents; withdrawals: number } = {
    consents,
    withdrawals: 0,
    async withdraw(email, purpose, how) {
      const consent = consents.get(email)?.get(purpose);
      if (!consent?.granted) return 0;
      Object.assign(consent, {
        granted: false,
        withdrawnAt: how.at.toISOString(),
        withdrawnChannel: how.channel,
        withdrawnBy: how.by,
      });
      store.withdrawals += 1;
      return 1;
    },
  };
  return store;
}

function deps(answers = {}) {
  const m = marketing({ newsletter: [EMAIL, 'luc.martens@example.be'], direct_mailing: [EMAIL] });
  const c = crm({ [EMAIL]: ['newsletter', 'direct_mailing'] });
  const audit = memoryAudit(now);
  const notices = memoryNotices();
  const notifier = fakeNotifier(answers);
  return {
    m,
    c,
    audit,
    notices,
    notifier,
    deps: {
      secret: SECRET,
      marketing: m,
      consents: c,
      audit,
      delivery: { store: notices, notifier, recipientsBaseUrl: 'http://127.0.0.1:8008', now },
      now,
    },
  };
}

const target = { email: EMAIL, list: 'newsletter', language: 'nl' } as const;

describe('Opt-out: one click (P5)', () => {
  it('takes the address off that list only, suppresses its keyed hash and tells the e-mail marketing processor', async () => {
    // Prepare
    const { deps: d, m, notifier, audit } = deps();
    // Act
    const result = await optOut(d, target);
    // Assess
    expect(result).toMatchObject({ changed: true, removed: 1, notified: 1, acknowledged: 1 });
    expect(m.lists.newsletter).toEqual(['luc.martens@example.be']);
    expect(m.lists.direct_mailing).toEqual([EMAIL]);
    expect([...(m.suppressed.get(subjectRef(SECRET, EMAIL)) ?? [])]).toEqual(['newsletter']);
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]).toMatchObject({
      url: 'http://127.0.0.1:8008/email-marketing/notices',
      idempotencyKey: `${result.id}:email-marketing`,
      body: {
        event: 'opt_out',
        instruction: 'unsubscribe',
        lists: ['newsletter'],
        subject: { email: EMAIL },
      },
    });
    // The audit chain is pseudonymous: the opt-out id, the list, counts.
    expect(audit.entries.map((e) => [e.requestId, e.action])).toEqual([
      [result.id, 'optout.received'],
      [result.id, 'recipients.notified'],
    ]);
    expect(JSON.stringify(audit.entries)).not.toContain('devos');
  });

  it('changes nothing more on a repeat: no audit entry, and the acknowledged processor is not told again', async () => {
    // Prepare: a first opt-out, acknowledged
    const { deps: d, notifier, audit } = deps();
    await optOut(d, target);
    const entries = audit.entries.length;
    // Act
    const again = await optOut(d, target);
    // Assess
    expect(again).toMatchObject({ changed: false, removed: 0, notified: 1, acknowledged: 1 });
    expect(notifier.sent).toHaveLength(1);
    expect(audit.entries).toHaveLength(entries);
  });

  it('sends the notice again with the same key on a repeat while the processor has not acknowledged it (P13)', async () => {
    // Prepare: the processor is down for the first opt-out, back for the repeat
    const {
      deps: d,
      notifier,
      notices,
    } = deps({ 'email-marketing': { acknowledged: false, error: 'HTTP503' } });
    const first = await optOut(d, target);
    notifier.answers['email-marketing'] = { acknowledged: true };
    // Act
    const second = await optOut(d, target);
    // Assess
    expect(first).toMatchObject({ changed: true, notified: 1, acknowledged: 0 });
    expect(second).toMatchObject({ changed: false, acknowledged: 1 });
    expect(notifier.sent.map((s) => s.idempotencyKey)).toEqual([
      `${first.id}:email-marketing`,
      `${first.id}:email-marketing`,
    ]);
    expect(notifier.sent[1]?.body).toEqual(notifier.sent[0]?.body);
    expect([...notices.records.values()][0]).toMatchObject({ status: 'acknowledged', attempts: 2 });
  });

  it('suppresses an address that is on no list, so a later import cannot add it (P6)', async () => {
    // Prepare
    const { deps: d, m } = deps();
    // Act
    const result = await optOut(d, { email: 'nobody@example.org', list: 'newsletter', language: 'en' });
    // Assess
    expect(result).toMatchObject({ changed: true, removed: 0 });
    expect(m.suppressed.get(subjectRef(SECRET, 'nobody@example.org'))?.has('newsletter')).toBe(true);
  });

  it("records CRM's consent for that list as withdrawn, with the date and the channel one_click, and no other (P5, Art. 7(3))", async () => {
    // Prepare: she gave CRM consent to the newsletter and to direct mailing
    const { deps: d, c, audit } = deps();
    // Act: one-click opt-out of the newsletter
    const result = await optOut(d, target);
    // Assess: the newsletter consent reads withdrawn, dated, by channel and opt-out id; direct mailing still given
    expect(result).toMatchObject({ changed: true, withdrawn: 1 });
    expect(c.consents.get(EMAIL)?.get('newsletter')).toEqual({
      granted: false,
      withdrawnAt: '2026-03-02T10:00:00.000Z',
      withdrawnChannel: 'one_click',
      withdrawnBy: result.id,
    });
    expect(c.consents.get(EMAIL)?.get('direct_mailing')).toEqual({ granted: true });
    expect(audit.entries[0]?.details).toMatchObject({ consentsWithdrawn: 1 });
  });

  it('withdraws the consent once for three POSTs, keeping the first date (P5, Art. 7(3))', async () => {
    // Prepare
    const { deps: d, c } = deps();
    // Act: three POSTs, the later ones a day on
    const first = await optOut(d, target);
    const later = { ...d, now: () => new Date('2026-03-03T10:00:00Z') };
    const repeats = [await optOut(later, target), await optOut(later, target)];
    // Assess: one withdrawal, the first date kept, the repeats change nothing
    expect(first.withdrawn).toBe(1);
    expect(repeats.map((r) => [r.changed, r.withdrawn])).toEqual([
      [false, 0],
      [false, 0],
    ]);
    expect(c.withdrawals).toBe(1);
    expect(c.consents.get(EMAIL)?.get('newsletter')?.withdrawnAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('changes nothing in CRM for a prospect on the list only, and answers alike (P5, P8)', async () => {
    // Prepare: Luc is on the newsletter list but no customer in CRM
    const { deps: d, c, m } = deps();
    // Act
    const result = await optOut(d, { email: 'luc.martens@example.be', list: 'newsletter', language: 'fr' });
    // Assess: off the list and suppressed, nothing withdrawn in CRM
    expect(result).toMatchObject({ changed: true, removed: 1, withdrawn: 0 });
    expect(c.withdrawals).toBe(0);
    expect(m.lists.newsletter).toEqual([EMAIL]);
  });
});
