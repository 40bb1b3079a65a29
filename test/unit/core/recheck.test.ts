// Proof of erasure (P3): after the systems acted, a fresh look in each may find only what the outcomes say is
// kept on a ground, or nothing; otherwise the system is failed, the subject is not told and staff retry.
import { describe, expect, it } from 'vitest';
import type { KeptCount } from '../../../functions/core/connector.ts';
import { decide, retry } from '../../../functions/core/decisions.ts';
import { fileRequest, verifyRequest } from '../../../functions/core/intake.ts';
import { escapeHtml, resultMessage } from '../../../functions/core/messages/index.ts';
import { close, recordResults, tellSubject } from '../../../functions/core/progress.ts';
import { compareRecheck, outcomesAfterRetry, recordRecheck } from '../../../functions/core/recheck.ts';
import type { Outcome } from '../../../functions/core/schemas.ts';
import { fakeDeps } from '../../fixtures/fakes.ts';
import { look } from '../../fixtures/requests.ts';

const INVOICES = {
  category: 'contract',
  ground: 'fiscal_retention',
  until: '2036-12-31',
  records: 3,
};
const BILLING_OUTCOMES: Outcome[] = [
  { kind: 'erased', records: 2, category: 'financial' },
  { ...INVOICES, kind: 'retained', kept: ['invoiceNumber', 'total'] },
];

describe('Proof of erasure: the fresh look against the outcomes (P3, Art. 17(1))', () => {
  it('agrees when only the records kept on the ground the outcomes name remain (P3, Art. 17(3)(b))', () => {
    // Prepare: billing erased two records and kept three invoices; the look finds those three, restricted
    const found = look('billing', { kept: [INVOICES] });
    // Act
    const check = compareRecheck(BILLING_OUTCOMES, found);
    // Assess
    expect(check).toEqual({ agrees: true, live: 0, kept: 3 });
  });

  it('agrees when nothing at all remains (P3, Art. 17(1))', () => {
    // Prepare: CRM erased everything; the look finds nothing
    const outcomes: Outcome[] = [{ kind: 'erased', records: 5, category: 'contact' }];
    // Act
    const check = compareRecheck(outcomes, look('crm'));
    // Assess
    expect(check).toEqual({ agrees: true, live: 0, kept: 0 });
  });

  it('disagrees when a live record is still found after the system said it erased everything (P3, Art. 17(1))', () => {
    // Prepare: the look still finds one live record beside the kept invoices
    const found = look('billing', { live: 1, kept: [INVOICES] });
    // Act
    const check = compareRecheck(BILLING_OUTCOMES, found);
    // Assess
    expect(check).toEqual({ agrees: false, live: 1, kept: 3, reasons: ['live_records'] });
  });

  it('disagrees when a restricted record carries no ground, or one the law does not know (P3, Art. 18(1))', () => {
    // Prepare: a restricted record without ground or date, and one on an unknown ground
    const bare: KeptCount = { category: 'support', records: 1 };
    const unknown: KeptCount = {
      category: 'support',
      ground: 'just_in_case',
      until: '2030-01-01',
      records: 1,
    };
    // Act
    const checks = [bare, unknown].map((k) => compareRecheck([], look('support', { kept: [k] })));
    // Assess
    for (const check of checks)
      expect(check).toEqual({ agrees: false, live: 0, kept: 1, reasons: ['kept_without_ground'] });
  });

  it('disagrees when more is kept than the subject is told, or until another date (P3, Art. 12(1))', () => {
    // Prepare: four invoices where the outcomes name three; three kept until another date
    const more = look('billing', { kept: [{ ...INVOICES, records: 4 }] });
    const later = look('billing', { kept: [{ ...INVOICES, until: '2040-12-31' }] });
    // Act
    const checks = [more, later].map((found) => compareRecheck(BILLING_OUTCOMES, found));
    // Assess
    expect(checks.map((c) => c.reasons)).toEqual([['kept_untold'], ['kept_untold']]);
  });

  it('proves nothing when the look itself failed (P3)', () => {
    // Prepare: the connector could not be reached
    const failed = {
      outcomes: [{ kind: 'failed' as const, retryable: true, reason: 'ConnectorError' }],
    };
    // Act
    const check = compareRecheck(BILLING_OUTCOMES, failed);
    // Assess
    expect(check).toEqual({ agrees: false, live: 0, kept: 0, reasons: ['not_checked'] });
  });

  it('counts what the first act erased together with what the retry erased after a look found leftovers (P3)', () => {
    // Prepare: support said it erased four notes, but the look found one left; the retry erases that one
    const prior = {
      state: 'failed' as const,
      outcomes: [{ kind: 'erased' as const, records: 4, category: 'support' }],
      recheck: { attempt: 1, agrees: false, live: 1, kept: 0, reasons: ['live_records' as const] },
    };
    // Act
    const outcomes = outcomesAfterRetry(prior, [{ kind: 'erased', records: 1, category: 'support' }]);
    // Assess
    expect(outcomes).toEqual([{ kind: 'erased', records: 5, category: 'support' }]);
  });
});

async function erasedButLeftover() {
  const d = fakeDeps();
  const { id } = await fileRequest(
    d,
    { type: 'erasure', email: 'an.devos@example.be', language: 'en' },
    '10.0.0.1',
  );
  await verifyRequest(d, id, /(\d{8})/.exec(d.mailer.sent[0]!.text)![1]!);
  await decide(d, id, 'staff-1', { approved: true });
  await recordResults(d, id, [
    { system: 'crm', operation: 'erase', outcomes: [{ kind: 'erased', records: 4, category: 'contact' }] },
    { system: 'billing', operation: 'erase', outcomes: BILLING_OUTCOMES },
  ]);
  return { d, id };
}

describe('Proof of erasure: recorded, audited, and the gate to completed (P3, P15)', () => {
  it('marks a system whose look finds a leftover failed, tells nobody and closes partially completed (P3)', async () => {
    // Prepare: an approved erasure; CRM and billing answered erased
    const { d, id } = await erasedButLeftover();
    // Act: the fresh look finds two live CRM records left
    const { allDone } = await recordRecheck(d, id, 1, [
      look('crm', { live: 2 }),
      look('billing', { kept: [INVOICES] }),
    ]);
    // Assess: not done; CRM failed with its reason, billing done; no outcome mail; partially completed
    expect(allDone).toBe(false);
    const systems = d.store.items.get(id)!.systems;
    expect(systems.crm).toMatchObject({
      state: 'failed',
      recheck: { agrees: false, live: 2, reasons: ['live_records'] },
    });
    expect(systems.billing).toMatchObject({ state: 'done', recheck: { agrees: true, kept: 3 } });
    const mails = d.mailer.sent.length;
    expect((await tellSubject(d, id)).told).toBe(false);
    expect(d.mailer.sent.length).toBe(mails);
    expect((await close(d, id)).status).toBe('partially_completed');
  });

  it('never completes an erasure without this attempt’s look, even when every system answered erased (P3)', async () => {
    // Prepare: an approved erasure whose systems all answered erased, but no look was made
    const { d, id } = await erasedButLeftover();
    // Act
    const told = await tellSubject(d, id);
    const closed = await close(d, id);
    // Assess
    expect(told.told).toBe(false);
    expect(closed.status).toBe('partially_completed');
  });

  it('audits each look once, in counts only, even when a restarted execution records it again (P3, P15)', async () => {
    // Prepare: an approved erasure, every system answered
    const { d, id } = await erasedButLeftover();
    const looks = [look('crm'), look('billing', { kept: [INVOICES] })];
    // Act: record the same look twice, as a restarted execution would
    await recordRecheck(d, id, 1, looks);
    await recordRecheck(d, id, 1, looks);
    // Assess: one entry, with counts per system and nothing of her
    const entries = d.audit.entries.filter((e) => e.action === 'systems.rechecked');
    expect(entries).toHaveLength(1);
    expect(entries[0]?.details).toEqual({
      attempt: 1,
      crm: { attempt: 1, agrees: true, live: 0, kept: 0 },
      billing: { attempt: 1, agrees: true, live: 0, kept: 3 },
    });
    expect(JSON.stringify(entries)).not.toContain('an.devos');
  });

  it('lets staff retry a system whose look found a leftover, and completes once the next look agrees (P3)', async () => {
    // Prepare: an erasure closed partially completed because CRM still held two records
    const { d, id } = await erasedButLeftover();
    await recordRecheck(d, id, 1, [look('crm', { live: 2 }), look('billing', { kept: [INVOICES] })]);
    await close(d, id);
    // Act: staff retry; CRM erases the two, billing answers what it keeps again; the new look agrees
    await retry(d, id, 'staff-2');
    await recordResults(d, id, [
      { system: 'crm', operation: 'erase', outcomes: [{ kind: 'erased', records: 2, category: 'contact' }] },
      { system: 'billing', operation: 'erase', outcomes: [BILLING_OUTCOMES[1]!] },
    ]);
    const { allDone } = await recordRecheck(d, id, 2, [look('crm'), look('billing', { kept: [INVOICES] })]);
    // Assess: done; CRM counts all six erased records; the subject is told the check was made; completed
    expect(allDone).toBe(true);
    expect(d.store.items.get(id)!.systems.crm?.outcomes).toEqual([
      { kind: 'erased', records: 6, category: 'contact' },
    ]);
    expect((await tellSubject(d, id)).told).toBe(true);
    expect(d.mailer.sent.at(-1)!.text).toContain('we searched every system for your data again');
    expect((await close(d, id)).status).toBe('completed');
    expect(d.audit.entries.filter((e) => e.action === 'systems.rechecked')).toHaveLength(2);
  });
});

describe('Proof of erasure: what the subject is told (P3, P18)', () => {
  const keptInvoices = [{ system: 'billing' as const, outcomes: BILLING_OUTCOMES }];
  const nothingKept = [
    { system: 'crm' as const, outcomes: [{ kind: 'erased' as const, records: 4, category: 'contact' }] },
  ];

  it.each([
    [
      'nl',
      'Na de verwijdering hebben we alle systemen opnieuw doorzocht: er blijft niets van uw gegevens over, behalve wat hierboven is vermeld.',
      'Na de verwijdering hebben we alle systemen opnieuw doorzocht: er blijft niets van uw gegevens over.',
    ],
    [
      'fr',
      "Après l'effacement, nous avons de nouveau recherché vos données dans chaque système\u00a0: il n'en reste aucune, hormis celles indiquées ci-dessus.",
      "Après l'effacement, nous avons de nouveau recherché vos données dans chaque système\u00a0: il n'en reste aucune.",
    ],
    [
      'en',
      'After the erasure, we searched every system for your data again: none of it remains, except what is listed above.',
      'After the erasure, we searched every system for your data again: none of it remains.',
    ],
  ] as const)(
    'says in %s that every system was searched again, and whether anything listed remains (P3, P18)',
    (lang, some, none) => {
      // Act: the erasure answer with kept invoices, and one with nothing kept
      const withKept = resultMessage(lang, 'erasure', keptInvoices);
      const withNothing = resultMessage(lang, 'erasure', nothingKept);
      // Assess: the sentence in its two forms, in text and HTML
      expect(withKept.text).toContain(some);
      expect(withNothing.text).toContain(none);
      expect(withNothing.text).not.toContain(some);
      expect(withKept.html).toContain(escapeHtml(some.split(':')[0]!));
    },
  );

  it('claims no such check in a rectification or objection answer (P3, P13)', () => {
    // Act
    const answers = (['rectification', 'objection'] as const).map((type) =>
      resultMessage('en', type, nothingKept),
    );
    // Assess
    for (const m of answers) expect(m.text).not.toContain('searched every system');
  });
});
