// The one-click opt-out as a domain operation (P5, P6): off the list, suppressed, the processor told once.
import { describe, expect, it } from 'vitest';
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

function deps(answers = {}) {
  const m = marketing({ newsletter: [EMAIL, 'luc.martens@example.be'], direct_mailing: [EMAIL] });
  const audit = memoryAudit(now);
  const notices = memoryNotices();
  const notifier = fakeNotifier(answers);
  return {
    m,
    audit,
    notices,
    notifier,
    deps: {
      secret: SECRET,
      marketing: m,
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
});
