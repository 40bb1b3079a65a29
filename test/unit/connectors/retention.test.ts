import { describe, expect, it } from 'vitest';
import { claimStillOpen } from '../../../functions/connectors/store/purge.ts';
import { loadProcessingRegister } from '../../../functions/core/registers/index.ts';
import {
  claimLimitationEnd,
  contractRetention,
  fiscalPurgeDate,
  invoiceRetention,
  invoiceYear,
  isOpenClaim,
  isPurgeDue,
  isRetentionOver,
  openClaimRetention,
  type Retention,
  type RetentionRules,
  trafficDataRetention,
} from '../../../functions/core/retention.ts';

/** The register's rules with one period changed: the dates must follow the register, not a constant. */
const withPeriod = (rule: 'claims' | 'traffic_data', period: { years?: number; months?: number }) => {
  const rules = structuredClone(loadProcessingRegister().retentionRules) as RetentionRules;
  rules[rule] = { text: rules[rule].text, ...period };
  return rules;
};

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
    // Prepare: a paid invoice. Act: its retention. Assess: fiscal ground only, no claim for the purge to ask about.
    expect(
      invoiceRetention({ invoiceNumber: '2026-0301', invoiceDate: '2026-03-01', status: 'paid' }),
    ).toEqual({
      ground: 'fiscal_retention',
      grounds: ['fiscal_retention'],
      until: '2036-12-31',
      periods: [{ ground: 'fiscal_retention', until: '2036-12-31' }],
    });
  });

  it.each(['unpaid', 'disputed'])(
    'keeps a %s invoice first on the open-claim ground, each ground with its own date (P3, Art. 17(3)(e))',
    (status) => {
      // Prepare: an invoice with an open claim, due a month after its date.
      const invoice = {
        invoiceNumber: '2026-0301',
        invoiceDate: '2026-03-01',
        dueDate: '2026-03-31',
        status,
      };

      // Act
      const retention = invoiceRetention(invoice);

      // Assess: open claim first, until its limitation ends (register: 5 years from the due date), then fiscal; the
      // invoice goes on the later date, and names its claim so the purge can ask billing again.
      expect(isOpenClaim(status)).toBe(true);
      expect(retention).toEqual({
        ground: 'open_claim',
        grounds: ['open_claim', 'fiscal_retention'],
        until: '2036-12-31',
        periods: [
          { ground: 'open_claim', until: '2031-03-31' },
          { ground: 'fiscal_retention', until: '2036-12-31' },
        ],
        claim: { invoiceNumber: '2026-0301' },
      });
    },
  );

  it('lets the purge run only after the purge date, in Brussels time, and never while a claim is open (P3, P11)', () => {
    // Prepare: a purge date. Act: ask just before and after it, and with a claim open. Assess:
    expect(isPurgeDue('2035-12-31', new Date('2035-12-31T22:59:00Z'))).toBe(false);
    expect(isPurgeDue('2035-12-31', new Date('2035-12-31T23:00:00Z'))).toBe(true);
    expect(isPurgeDue('2035-12-31', new Date('2036-06-01T00:00:00Z'), true)).toBe(false);
  });
});

describe('Open claims: kept until settled, at the latest until the limitation period ends (P3, Art. 17(3)(e))', () => {
  it.each([
    ['2026-10-01', '2031-10-01'],
    ['2024-02-29', '2029-02-28'],
    ['2026-12-31T23:30:00Z', '2032-01-01'],
  ])(
    'counts a claim due %s to %s: the register gives claims 5 years (old Civil Code art. 2277)',
    (due, end) => {
      // Prepare: a due date. Act: the end of its limitation period. Assess:
      expect(loadProcessingRegister().retentionRules.claims.years).toBe(5);
      expect(claimLimitationEnd(due)).toBe(end);
    },
  );

  it('takes the limitation period from the register, not from a constant in code (P3, P17)', () => {
    // Prepare: the register with claims limited to 2 years.
    const rules = withPeriod('claims', { years: 2 });

    // Act
    const retention = openClaimRetention({ invoiceNumber: '2026-0908', dueDate: '2026-10-01' }, rules);

    // Assess
    expect(retention).toEqual({
      ground: 'open_claim',
      grounds: ['open_claim'],
      until: '2028-10-01',
      periods: [{ ground: 'open_claim', until: '2028-10-01' }],
      claim: { invoiceNumber: '2026-0908' },
    });
  });
});

describe('Traffic data: kept while the bill can be challenged (P3, Electronic Communications Act art. 122)', () => {
  it.each([
    ['a call this month', '2026-11-20T10:00:00Z', '2026-11-25T09:00:00Z', '2027-11-30'],
    ['a February call, to February 28', '2026-02-10T10:00:00Z', '2026-02-16T09:30:00Z', '2027-02-28'],
    [
      'a call before a leap February, to its 29th',
      '2027-02-15T10:00:00Z',
      '2027-03-01T09:00:00Z',
      '2028-02-29',
    ],
    [
      'a call at 00:30 on 1 February in Brussels',
      '2026-01-31T23:30:00Z',
      '2026-02-16T09:30:00Z',
      '2027-02-28',
    ],
    ['the last Brussels minute of its period', '2025-10-15T10:00:00Z', '2026-10-31T22:59:00Z', '2026-10-31'],
    ['a call whose period is over', '2025-10-15T10:00:00Z', '2026-10-31T23:00:00Z', undefined],
    ['a call of fifteen months ago', '2025-08-10T18:00:00Z', '2026-11-25T09:00:00Z', undefined],
  ])(
    'keeps %s (%s, asked %s) until %s: 12 months after its month, per the register',
    (_, started, now, until) => {
      // Prepare: when the call was made and when the erasure runs. Act:
      const retention = trafficDataRetention(started, new Date(now));

      // Assess: kept on traffic_data until the end of that period, or not kept at all once it is over
      expect(loadProcessingRegister().retentionRules.traffic_data.months).toBe(12);
      expect(retention).toEqual(
        until === undefined
          ? undefined
          : {
              ground: 'traffic_data',
              grounds: ['traffic_data'],
              until,
              periods: [{ ground: 'traffic_data', until }],
            },
      );
    },
  );

  it('takes the traffic-data period from the register, not from a constant in code (P3, P17)', () => {
    // Prepare: the register with traffic data kept 6 months.
    const rules = withPeriod('traffic_data', { months: 6 });

    // Act
    const retention = trafficDataRetention('2026-11-20T10:00:00Z', new Date('2026-11-25T09:00:00Z'), rules);

    // Assess
    expect(retention?.until).toBe('2027-05-31');
  });
});

describe('Running contracts: kept while they run (P3, Art. 6(1)(b))', () => {
  const now = new Date('2026-11-25T09:00:00Z');
  it.each([
    ['a fixed term, to its end', [{ contractNumber: 'CT-1', endsAt: '2027-03-31' }], '2027-03-31', ['CT-1']],
    ['a monthly renewal, to the end of this month', [{ contractNumber: 'CT-1' }], '2026-11-30', ['CT-1']],
    [
      'a term ending today, to today',
      [{ contractNumber: 'CT-1', endsAt: '2026-11-25' }],
      '2026-11-25',
      ['CT-1'],
    ],
    [
      'two contracts, to the later end, naming the running ones only',
      [
        { contractNumber: 'CT-2', endsAt: '2028-01-31' },
        { contractNumber: 'CT-1', endsAt: '2027-03-31' },
        { contractNumber: 'CT-0', endsAt: '2026-08-31' },
      ],
      '2028-01-31',
      ['CT-1', 'CT-2'],
    ],
    ['a contract that ended', [{ contractNumber: 'CT-1', endsAt: '2026-08-31' }], undefined, []],
    ['no contract', [], undefined, []],
  ])('keeps %s', (_, contracts, until, numbers) => {
    // Prepare: the contracts (above). Act:
    const retention = contractRetention(contracts, now);

    // Assess
    expect(retention).toEqual(
      until === undefined
        ? undefined
        : {
            ground: 'running_contract',
            grounds: ['running_contract'],
            until,
            periods: [{ ground: 'running_contract', until }],
            contracts: numbers,
          },
    );
  });
});

describe('The purge asks again what a kept record rests on (P3, P11)', () => {
  const fiscal: Retention = {
    ground: 'fiscal_retention',
    grounds: ['fiscal_retention'],
    until: '2035-12-31',
  };
  const invoice = invoiceRetention({
    invoiceNumber: '2026-0908',
    invoiceDate: '2026-09-01',
    dueDate: '2026-10-01',
    status: 'disputed',
  });
  const call = openClaimRetention({ invoiceNumber: '2026-0908', dueDate: '2026-10-01' });
  const contract = contractRetention(
    [{ contractNumber: 'CT-1', endsAt: '2027-03-31' }],
    new Date('2026-11-25'),
  );
  it.each([
    ['a record kept before periods existed, after its date', fiscal, '2036-01-01', {}, true],
    ['a record kept before periods existed, on its date', fiscal, '2035-12-31T12:00:00Z', {}, false],
    [
      'an invoice whose claim is still open, after both dates',
      invoice,
      '2037-01-01',
      { claimOpen: true },
      false,
    ],
    [
      'an invoice whose claim is settled, before the fiscal date',
      invoice,
      '2027-01-01',
      { claimOpen: false },
      false,
    ],
    [
      'an invoice whose claim is settled, after the fiscal date',
      invoice,
      '2037-01-01',
      { claimOpen: false },
      true,
    ],
    ['a call whose claim is settled: at once', call, '2027-01-01', { claimOpen: false }, true],
    ['a call whose claim was not asked about, before the limitation', call, '2027-01-01', {}, false],
    ['a call whose claim was not asked about, after the limitation', call, '2031-10-02T12:00:00Z', {}, true],
    [
      'a call whose claim is open past the limitation (interrupted)',
      call,
      '2032-01-01',
      { claimOpen: true },
      false,
    ],
    ['a contract still running after its term', contract, '2027-06-01', { contractRunning: true }, false],
    ['a contract found ended: at once', contract, '2027-01-01', { contractRunning: false }, true],
  ] as const)('decides for %s', (_, retention, now, found, over) => {
    // Prepare: a kept record's retention and what the purge found. Act:
    const decided = isRetentionOver(retention as Retention, new Date(now), found);

    // Assess
    expect(decided).toBe(over);
  });
});

describe('Legal retention purge: an open claim is read again before purging (P3, Art. 17(3)(e))', () => {
  const kept = (sk: string, fields: Record<string, unknown>) => ({
    pk: 'RESTRICTED#s_ref',
    sk,
    restricted: true,
    ...fields,
  });
  const invoice = (status: string) => kept('INVOICE#2014-0101', { invoiceNumber: '2014-0101', status });
  const claim = { retention: { claim: { invoiceNumber: '2014-0101' } } };

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
      partition: [kept('TICKET#T-1', claim), invoice('paid')],
      open: false,
    },
    // Billing's invoice is not in support's store: the ticket then stays until the limitation period ends.
    {
      name: 'a record naming a claim this system cannot see',
      partition: [kept('TICKET#T-1', claim)],
      open: undefined,
    },
  ])('$name: the claim is open: $open', ({ partition, open }) => {
    // Prepare: the subject's restricted partition as read now. Act: re-check the first record's claim. Assess:
    expect(claimStillOpen(partition[0] as (typeof partition)[number], partition)).toBe(open);
  });
});
