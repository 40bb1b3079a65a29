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
    // Act: load the register
    const register = loadProcessingRegister();

    // Assess: it names the controller
    expect(register.controller).toMatchObject({ name: 'JSM BV', enterpriseNumber: 'BE0758.818.627' });
  });

  it('gives every system purposes, legal bases and retention, each explained in nl, fr and en (P1, P17, P18)', () => {
    // Act: load the register
    const register = loadProcessingRegister();

    // Assess: each system has purposes, each with a legal basis of Art. 6(1), a retention rule and texts in every language
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
    // Act: load the purposes
    const purposes = loadProcessingRegister().purposes;

    // Assess: each purpose of section 5 is there, tied to that section
    for (const id of STATEMENT_PURPOSES) expect(purposes[id]?.statementSection, id).toBe('5');
  });

  it('covers every record type the demo systems hold, with its category (P16)', () => {
    // Prepare: the demo data of every system
    const data = demoData(new Date('2026-05-10T12:00:00Z'));

    // Act: for every demo record, find the purpose lines that cover its type
    for (const system of SYSTEMS) {
      const lines = purposesOf(system);
      for (const item of data[system]) {
        const type = String(item.sk).split('#')[0] as string;
        const covering = lines.filter((l) => l.records.includes(type));
        // Assess: at least one, naming the record's category
        expect(covering.length, `${system} ${type}`).toBeGreaterThan(0);
        expect(
          covering.flatMap((l) => l.categories),
          `${system} ${type}`,
        ).toContain(item.category);
      }
    }
  });

  it('names the credit bureau as the source of credit scores (P1, Art. 15(1)(g)) and keeps invoices 10 years', () => {
    // Act: load billing's register entry
    const billing = loadProcessingRegister().systems.billing;

    // Assess: credit scores come from the bureau; invoices are kept 10 years on fiscal grounds
    expect(billing.sources).toContainEqual(
      expect.objectContaining({ records: ['CREDIT_SCORE'], source: 'Benelux Kredietinfo NV' }),
    );
    expect(purposesOf('billing').find((l) => l.records.includes('INVOICE'))?.retention).toEqual({
      rule: 'fiscal',
      years: 10,
    });
  });

  it('uses the same categories as the connectors', () => {
    // Assess: the register's categories are the connectors'
    expect([...REGISTER_CATEGORIES]).toEqual([...CATEGORIES]);
  });

  it('refuses a register with an unknown purpose or a fiscal period other than 10 years', () => {
    // Prepare: a copy of the register with an unknown purpose and a fiscal period of 7 years
    const register = structuredClone(loadProcessingRegister());
    const line = register.systems.billing.processing[1] as { purpose: string; retention: { years?: number } };
    line.purpose = 'selling_data';
    line.retention.years = 7;

    // Act: validate it
    const parsed = ProcessingRegister.safeParse(register);

    // Assess: refused, naming both faults
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining(['Unknown purpose selling_data', expect.stringMatching(/10 years/)]),
    );
  });
});

describe('Recipients register (P13, P14)', () => {
  it('loads the processors for e-mail marketing, invoicing, re-orders and direct mailing', () => {
    // Act: load the recipients
    const ids = loadRecipients().recipients.map((r) => r.id);

    // Assess: the four processors of the statement's section 9
    expect(ids).toEqual(['email-marketing', 'invoicing', 'reorders', 'direct-mailing']);
  });

  it('lists for every recipient the fields it receives: at least name, first name, language, gender, e-mail', () => {
    // Act: load the recipients
    for (const r of loadRecipients().recipients) {
      // Assess: each receives at least the statement's fields, is a processor or recipient, and has a configurable URL
      expect(r.fields).toEqual(
        expect.arrayContaining(['lastName', 'firstName', 'language', 'gender', 'email']),
      );
      expect(['processor', 'recipient']).toContain(r.kind);
      expect(r.notify.url).toContain('{recipientsBaseUrl}');
    }
  });

  it('declares a field the statement does not name, and refuses an undeclared one', () => {
    // Prepare: a copy of the recipients register
    const register = structuredClone(loadRecipients());
    // Assess: direct mailing declares the address, which the statement does not name
    expect(register.recipients.find((r) => r.id === 'direct-mailing')?.fieldsBeyondStatement).toEqual([
      'address',
    ]);
    // Prepare: invoicing receiving the phone number without declaring it
    const invoicing = register.recipients.find((r) => r.id === 'invoicing');
    invoicing?.fields.push('phone');

    // Act: validate the register
    // Assess: refused
    expect(RecipientsRegister.safeParse(register).success).toBe(false);
  });

  it('refuses a recipient outside the EU (P14)', () => {
    // Prepare: a copy of the recipients register with the first recipient in the US
    const register = structuredClone(loadRecipients()) as { recipients: { country: string }[] };
    (register.recipients[0] as { country: string }).country = 'US';

    // Act: validate it
    // Assess: refused
    expect(RecipientsRegister.safeParse(register).success).toBe(false);
  });

  it('notifies after a rectification only the recipients that receive a changed field (P13, Art. 19)', () => {
    // Act: pick the recipients to tell of a changed phone number, of a changed address, of an objection in marketing
    const byPhone = recipientsToNotify({ event: 'rectification', systems: SYSTEMS, fields: ['phone'] });
    const byAddress = recipientsToNotify({ event: 'rectification', systems: SYSTEMS, fields: ['address'] });
    const objection = recipientsToNotify({ event: 'objection', systems: ['marketing'] });

    // Assess: nobody for the phone; direct mailing for the address; the marketing processors for the objection
    expect(byPhone).toEqual([]);
    expect(byAddress.map((r) => r.id)).toEqual(['direct-mailing']);
    expect(objection.map((r) => r.id)).toEqual(['email-marketing', 'direct-mailing']);
    // Assess: billing's recipient is invoicing
    expect(recipientsOf('billing').map((r) => r.id)).toEqual(['invoicing']);
  });

  it('fills the notification URL from configuration and refuses a missing value', () => {
    // Prepare: the first recipient
    const [first] = loadRecipients().recipients;

    // Act: fill its URL from configuration
    // Assess: the configured base plus its notices path
    expect(notificationUrl(first!, { recipientsBaseUrl: 'http://localhost:3000/recipients/' })).toBe(
      'http://localhost:3000/recipients/email-marketing/notices',
    );
    // Act: fill it with the base URL missing
    // Assess: refused, naming the missing value
    expect(() => notificationUrl(first!, {} as { recipientsBaseUrl: string })).toThrow(/recipientsBaseUrl/);
  });
});
