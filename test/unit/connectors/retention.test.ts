import { describe, expect, it } from 'vitest';
import { claimStillOpen } from '../../../functions/connectors/store/purge.ts';
import {
  fiscalPurgeDate,
  invoiceRetention,
  invoiceYear,
  isOpenClaim,
  isPurgeDue,
} from '../../../functions/core/retention.ts';

describe('Legal retention of invoices (P3, P11)', () => {
  it.each([
    ['2025-12-31', '2035-12-31'],
    ['2026-01-01', '2036-12-31'],
    ['2025-01-01', '2035-12-31'],
    ['2024-02-29', '2034-12-31'],
  ])(
    'keeps an invoice dated %s until %s: 10 years from 1 January after its date (P3, VAT Code art. 60 §4)',
    (date, until) => {
      // Prepare: an invoice date. Act: its purge date. Assess:
      expect(fiscalPurgeDate(date)).toBe(until);
    },
  );

  it('reads an instant in Brussels time: 31 December 23:30 UTC is already the next year (P3)', () => {
    // Prepare: instants around midnight in Brussels. Act and Assess:
    expect(invoiceYear('2025-12-31T23:30:00Z')).toBe(2026);
    expect(fiscalPurgeDate(new Date('2025-12-31T22:59:00Z'))).toBe('2035-12-31');
    expect(fiscalPurgeDate(new Date('2025-12-31T23:00:00Z'))).toBe('2036-12-31');
  });

  it('refuses a date it cannot read rather than guess a purge date (P3)', () => {
    // Prepare: unreadable dates. Act and Assess: refused.
    expect(() => fiscalPurgeDate('soon')).toThrow(RangeError);
    expect(() => fiscalPurgeDate('')).toThrow(RangeError);
  });

  it('keeps a paid invoice on the fiscal ground alone (P3)', () => {
    // Prepare: a paid invoice. Act: its retention. Assess: fiscal ground only.
    expect(invoiceRetention({ invoiceDate: '2026-03-01', status: 'paid' })).toEqual({
      ground: 'fiscal_retention',
      grounds: ['fiscal_retention'],
      until: '2036-12-31',
    });
  });

  it.each(['unpaid', 'disputed'])('keeps a %s invoice first on the open-claim ground (P3)', (status) => {
    // Prepare: an invoice with an open claim. Act: its retention. Assess: open claim first, then fiscal.
    expect(isOpenClaim(status)).toBe(true);
    expect(invoiceRetention({ invoiceDate: '2026-03-01', status })).toEqual({
      ground: 'open_claim',
      grounds: ['open_claim', 'fiscal_retention'],
      until: '2036-12-31',
    });
  });

  it('lets the purge run only after the purge date, in Brussels time, and never while a claim is open (P3, P11)', () => {
    // Prepare: a purge date. Act: ask just before and after it, and with a claim open. Assess:
    expect(isPurgeDue('2035-12-31', new Date('2035-12-31T22:59:00Z'))).toBe(false);
    expect(isPurgeDue('2035-12-31', new Date('2035-12-31T23:00:00Z'))).toBe(true);
    expect(isPurgeDue('2035-12-31', new Date('2036-06-01T00:00:00Z'), true)).toBe(false);
  });
});

describe('Legal retention purge: an open claim is read again before purging (P3, Art. 17(3)(e))', () => {
  const kept = (sk: string, fields: Record<string, unknown>) => ({
    pk: 'RESTRICTED#s_ref',
    sk,
    restricted: true,
    ...fields,
  });
  const invoice = (status: string) => kept('INVOICE#2014-0101', { status });
  const claim = { claim: 'INVOICE#2014-0101' };

  it.each([
    { name: 'an unpaid invoice', partition: [invoice('unpaid')], open: true },
    { name: 'a disputed invoice', partition: [invoice('disputed')], open: true },
    { name: 'a paid invoice', partition: [invoice('paid')], open: false },
    {
      name: 'a call record naming an invoice still disputed',
      partition: [kept('CALL#1', claim), invoice('disputed')],
      open: true,
    },
    {
      name: 'a ticket naming, in its retention, an invoice since paid',
      partition: [kept('TICKET#T-1', { retention: claim }), invoice('paid')],
      open: false,
    },
    { name: 'a record naming a claim that is gone', partition: [kept('CALL#1', claim)], open: false },
  ])('$name: the claim is open: $open', ({ partition, open }) => {
    // Prepare: the subject's restricted partition as read now. Act: re-check the first record's claim. Assess:
    expect(claimStillOpen(partition[0] as (typeof partition)[number], partition)).toBe(open);
  });
});
