import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  CONTACT_AND_FINANCIAL_FIELDS,
  findFields,
} from '../../../functions/connectors/records.ts';
import { SYSTEMS } from '../../../functions/core/schemas.ts';
import {
  DEMO_CUSTOMERS,
  type DemoCustomer,
  demoData,
  demoRestricted,
  INACTIVE_CUSTOMERS,
} from '../../../local/demo-data.ts';

const NOW = new Date('2026-05-10T12:00:00Z');
const data = demoData(NOW);
const systemsOf = (email: string) =>
  SYSTEMS.filter((s) => data[s].some((i) => i.email === email || i.customerNumber === customerOf(email)));
const customerOf = (email: string) =>
  [...Object.values(DEMO_CUSTOMERS), ...Object.values(INACTIVE_CUSTOMERS)].find((c) => c.email === email)
    ?.customerNumber ?? 'none';

describe('Demo systems', () => {
  it('hold an.devos in all four systems, luc only in CRM and marketing, noor in CRM and support (P16)', () => {
    // Prepare: the demo data at a fixed clock (above). Act: find each customer's systems. Assess:
    expect(systemsOf('an.devos@example.be')).toEqual(['billing', 'crm', 'support', 'marketing']);
    expect(systemsOf('luc.martens@example.be')).toEqual(['crm', 'marketing']);
    expect(systemsOf('noor.elamrani@example.be')).toEqual(['crm', 'support']);
    for (const c of Object.values(DEMO_CUSTOMERS)) expect(systemsOf(c.email)).toEqual(c.systems);
  });

  it('give An at least 3 paid invoices with line items and the IBAN of payment inside (P3)', () => {
    // Prepare: the demo data. Act: An's invoices.
    const invoices = data.billing.filter(
      (i) => i.customerNumber === 'C-100234' && String(i.sk).startsWith('INVOICE#'),
    );
    // Assess
    expect(invoices.length).toBeGreaterThanOrEqual(3);
    for (const inv of invoices) {
      expect(inv.status).toBe('paid');
      expect((inv.lines as unknown[]).length).toBeGreaterThan(0);
      expect(inv.payment).toMatchObject({ iban: DEMO_CUSTOMERS.an.iban });
    }
  });

  it('label every record with a customer number and a category (P16), addresses in lower case', () => {
    // Prepare: the demo data. Act: walk every record. Assess: labels and lower-case addresses.
    for (const system of SYSTEMS) {
      for (const item of data[system]) {
        expect(item.customerNumber, `${item.pk} ${item.sk}`).toMatch(/^C-\d{6}$/);
        expect(item.pk).toBe(`CUST#${item.customerNumber}`);
        expect(CATEGORIES).toContain(item.category);
        if (item.email !== undefined) expect(item.email).toBe(String(item.email).toLowerCase());
      }
    }
  });

  it('hold every kind of record the statement names (P16, P17)', () => {
    // Prepare: the demo data. Act: An's record types per system.
    const sks = (system: 'billing' | 'crm' | 'support' | 'marketing') =>
      data[system].filter((i) => i.customerNumber === 'C-100234').map((i) => String(i.sk).split('#')[0]);
    // Assess
    expect(sks('billing')).toEqual(
      expect.arrayContaining(['PROFILE', 'BANK_ACCOUNT', 'CREDIT_SCORE', 'INVOICE', 'CALL']),
    );
    expect(sks('crm')).toEqual(
      expect.arrayContaining(['PROFILE', 'CONTACT', 'PROFESSIONAL', 'ACCOUNT', 'CONSENT', 'INTEREST']),
    );
    expect(sks('support')).toEqual(expect.arrayContaining(['TICKET', 'NOTE']));
    expect(sks('marketing')).toEqual(['LIST', 'LIST']);
    const score = data.billing.find((i) => i.sk === 'CREDIT_SCORE' && i.customerNumber === 'C-100234');
    expect(score?.source).toMatch(/external credit bureau/);
    const account = data.crm.find((i) => i.sk === 'ACCOUNT' && i.customerNumber === 'C-100234');
    expect(account?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('date everything relative to the clock: nothing lies in the future, a later clock moves every date (P11)', () => {
    // Prepare: the same data a year later.
    const later = demoData(new Date('2027-05-10T12:00:00Z'));
    // Act: look at every date. Assess: none in the future, and the later clock moved them.
    for (const system of SYSTEMS) {
      for (const item of data[system]) {
        for (const key of ['invoiceDate', 'startedAt', 'openedAt', 'at', 'subscribedAt', 'createdAt']) {
          if (typeof item[key] === 'string')
            expect(Date.parse(item[key] as string)).toBeLessThanOrEqual(NOW.getTime());
        }
      }
    }
    const firstInvoice = (d: typeof data) =>
      d.billing.find((i) => String(i.sk).startsWith('INVOICE#'))?.invoiceDate;
    expect(String(firstInvoice(later)).slice(0, 4)).toBe('2027');
  });
});

describe('Demo systems: the retention sweep’s subjects (P11, P3)', () => {
  const cutoff = new Date('2023-05-10T12:00:00Z');
  /** The latest instant in a customer's records, but for the payment reminders we sent (our act, not theirs). */
  const lastDate = (c: DemoCustomer) =>
    SYSTEMS.flatMap((s) => data[s].filter((i) => i.customerNumber === c.customerNumber))
      .flatMap(
        (i) =>
          JSON.stringify(i, (k, v) => (k === 'reminderSentAt' ? undefined : v)).match(
            /\d{4}-\d{2}-\d{2}T[\d:.]+Z/g,
          ) ?? [],
      )
      .map(Date.parse)
      .reduce((a, b) => Math.max(a, b), 0);

  it('hold Griet, Bart and Hilde with nothing dated in the last three years, and Lotte with a login 2 years 11 months ago', () => {
    // Prepare: the former customers. Act: their latest dated record. Assess:
    const { griet, bart, hilde, lotte } = INACTIVE_CUSTOMERS;
    for (const c of [griet, bart, hilde]) expect(lastDate(c), c.firstName).toBeLessThan(cutoff.getTime());
    expect(lastDate(lotte)).toBeGreaterThan(cutoff.getTime());
    for (const c of Object.values(INACTIVE_CUSTOMERS)) expect(systemsOf(c.email)).toEqual(c.systems);
  });

  it('give Bart an open unpaid invoice, Wim a running contract and Griet an invoice whose ten years are over', () => {
    // Prepare: the former customers' billing records. Act: read them. Assess:
    const of = (c: DemoCustomer) => data.billing.filter((i) => i.customerNumber === c.customerNumber);
    const { griet, bart, wim } = INACTIVE_CUSTOMERS;
    expect(of(bart).some((i) => i.status === 'unpaid')).toBe(true);
    expect(of(wim).find((i) => i.sk === 'PROFILE')?.contract).toMatchObject({ status: 'running' });
    const years = of(griet).flatMap((i) =>
      i.invoiceDate ? [Number(String(i.invoiceDate).slice(0, 4))] : [],
    );
    expect(Math.min(...years) + 10).toBeLessThan(NOW.getUTCFullYear());
  });

  it('keep invoices of a customer erased long ago, restricted, two of them past their purge date (P3)', () => {
    // Prepare, Act: the restricted records the seed writes to billing
    const kept = demoRestricted(NOW);
    const today = NOW.toISOString().slice(0, 10);
    // Assess: all restricted, in the purge index, without contact or bank data; two paid ones past their date
    expect(kept.every((i) => i.restricted === true && i.purgeList === 'RESTRICTED')).toBe(true);
    expect(kept.flatMap((i) => findFields(i, CONTACT_AND_FINANCIAL_FIELDS))).toEqual([]);
    expect(kept.filter((i) => String(i.purgeOn) < today && i.status === 'paid')).toHaveLength(2);
    expect(kept.filter((i) => String(i.purgeOn) < today && i.status === 'disputed')).toHaveLength(1);
    expect(kept.filter((i) => String(i.purgeOn) >= today)).toHaveLength(1);
  });
});
