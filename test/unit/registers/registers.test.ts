import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../functions/connectors/records.ts';
import {
  loadProcessingRegister,
  loadRecipients,
  notificationUrl,
  ProcessingRegister,
  purposesOf,
  REGISTER_CATEGORIES,
  RecipientsRegister,
  recipientsOf,
  recipientsToNotify,
} from '../../../functions/core/registers/index.ts';
import { SYSTEMS } from '../../../functions/core/schemas.ts';
import { demoData } from '../../../local/demo-data.ts';

// The twelve purposes of the statement's section 5, in its order.
const STATEMENT_PURPOSES = [
  'contract',
  'support_contact',
  'enquiries',
  'accounts',
  'service_access',
  'service_changes',
  'eligibility',
  'job_applications',
  'invoicing',
  'personalisation',
  'interest_profiles',
  'newsletters',
];

describe('Processing register (P17)', () => {
  it('loads and validates at load', () => {
    const register = loadProcessingRegister();

    expect(register.controller).toMatchObject({ name: 'JSM BV', enterpriseNumber: 'BE0758.818.627' });
  });

  it('gives every system purposes, legal bases and retention, each explained in nl, fr and en (P1, P17, P18)', () => {
    const register = loadProcessingRegister();

    for (const system of SYSTEMS) {
      const lines = purposesOf(system);
      expect(lines.length, system).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.legalBasis.length).toBeGreaterThan(0);
        expect(register.retentionRules[line.retention.rule].text.nl).toBeTruthy();
        expect(register.purposes[line.purpose]?.text.fr).toBeTruthy();
        for (const basis of line.legalBasis)
          expect(register.legalBases[basis].article).toMatch(/^6\(1\)\([a-f]\)$/);
      }
      expect(register.systems[system].automatedDecisions.text.en).toBeTruthy();
    }
  });

  it('names every purpose of the statement (section 5)', () => {
    const purposes = loadProcessingRegister().purposes;

    for (const id of STATEMENT_PURPOSES) expect(purposes[id]?.statementSection, id).toBe('5');
  });

  it('covers every record type the demo systems hold, with its category (P16)', () => {
    const data = demoData(new Date('2026-05-10T12:00:00Z'));

    for (const system of SYSTEMS) {
      const lines = purposesOf(system);
      for (const item of data[system]) {
        const type = String(item.sk).split('#')[0] as string;
        const covering = lines.filter((l) => l.records.includes(type));
        expect(covering.length, `${system} ${type}`).toBeGreaterThan(0);
        expect(
          covering.flatMap((l) => l.categories),
          `${system} ${type}`,
        ).toContain(item.category);
      }
    }
  });

  it('names the credit bureau as the source of credit scores (Art. 15(1)(g)) and keeps invoices 10 years', () => {
    const billing = loadProcessingRegister().systems.billing;

    expect(billing.sources).toContainEqual(
      expect.objectContaining({ records: ['CREDIT_SCORE'], source: 'Benelux Kredietinfo NV' }),
    );
    expect(purposesOf('billing').find((l) => l.records.includes('INVOICE'))?.retention).toEqual({
      rule: 'fiscal',
      years: 10,
    });
  });

  it('uses the same categories as the connectors', () => {
    expect([...REGISTER_CATEGORIES]).toEqual([...CATEGORIES]);
  });

  it('refuses a register with an unknown purpose or a fiscal period other than 10 years', () => {
    const register = structuredClone(loadProcessingRegister());
    const line = register.systems.billing.processing[1] as { purpose: string; retention: { years?: number } };
    line.purpose = 'selling_data';
    line.retention.years = 7;

    const parsed = ProcessingRegister.safeParse(register);

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining(['Unknown purpose selling_data', expect.stringMatching(/10 years/)]),
    );
  });
});

describe('Recipients register (P13, P14)', () => {
  it('loads the processors for e-mail marketing, invoicing, re-orders and direct mailing', () => {
    const ids = loadRecipients().recipients.map((r) => r.id);

    expect(ids).toEqual(['email-marketing', 'invoicing', 'reorders', 'direct-mailing']);
  });

  it('lists for every recipient the fields it receives: at least name, first name, language, gender, e-mail', () => {
    for (const r of loadRecipients().recipients) {
      expect(r.fields).toEqual(
        expect.arrayContaining(['lastName', 'firstName', 'language', 'gender', 'email']),
      );
      expect(['processor', 'recipient']).toContain(r.kind);
      expect(r.notify.url).toContain('{recipientsBaseUrl}');
    }
  });

  it('declares a field the statement does not name, and refuses an undeclared one', () => {
    const register = structuredClone(loadRecipients());
    expect(register.recipients.find((r) => r.id === 'direct-mailing')?.fieldsBeyondStatement).toEqual([
      'address',
    ]);
    const invoicing = register.recipients.find((r) => r.id === 'invoicing');
    invoicing?.fields.push('phone');

    expect(RecipientsRegister.safeParse(register).success).toBe(false);
  });

  it('refuses a recipient outside the EU (P14)', () => {
    const register = structuredClone(loadRecipients()) as { recipients: { country: string }[] };
    (register.recipients[0] as { country: string }).country = 'US';

    expect(RecipientsRegister.safeParse(register).success).toBe(false);
  });

  it('notifies after a rectification only the recipients that receive a changed field (Art. 19)', () => {
    const byPhone = recipientsToNotify({ event: 'rectification', systems: SYSTEMS, fields: ['phone'] });
    const byAddress = recipientsToNotify({ event: 'rectification', systems: SYSTEMS, fields: ['address'] });
    const objection = recipientsToNotify({ event: 'objection', systems: ['marketing'] });

    expect(byPhone).toEqual([]);
    expect(byAddress.map((r) => r.id)).toEqual(['direct-mailing']);
    expect(objection.map((r) => r.id)).toEqual(['email-marketing', 'direct-mailing']);
    expect(recipientsOf('billing').map((r) => r.id)).toEqual(['invoicing']);
  });

  it('fills the notification URL from configuration and refuses a missing value', () => {
    const [first] = loadRecipients().recipients;

    expect(notificationUrl(first!, { recipientsBaseUrl: 'http://localhost:3000/recipients/' })).toBe(
      'http://localhost:3000/recipients/email-marketing/notices',
    );
    expect(() => notificationUrl(first!, {} as { recipientsBaseUrl: string })).toThrow(/recipientsBaseUrl/);
  });
});
