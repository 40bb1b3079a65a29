// Portability's scope, read from the processing register (P7, Art. 20(1)): a record type goes into the package
// only on consent or contract; inferred data and notes staff wrote stay out, as does whatever rests only on a legal
// obligation or a legitimate interest. Each stays in the access report (P1).
import { describe, expect, it } from 'vitest';
import { BILLING_EXPORT } from '../../../functions/connectors/billing/connector.ts';
import { CRM_EXPORT } from '../../../functions/connectors/crm/connector.ts';
import { MARKETING_EXPORT } from '../../../functions/connectors/marketing/connector.ts';
import { recordType } from '../../../functions/connectors/records.ts';
import type { ExportRules } from '../../../functions/connectors/store/index.ts';
import { SUPPORT_EXPORT } from '../../../functions/connectors/support/connector.ts';
import { legalBasesOf, PORTABLE_BASES, portabilityScope } from '../../../functions/core/portability-scope.ts';
import { loadProcessingRegister } from '../../../functions/core/registers/index.ts';
import { type BuiltInSystem, type LeftOutReason, SYSTEMS } from '../../../functions/core/schemas.ts';
import { demoData } from '../../../local/demo-data.ts';

const RULES: Record<BuiltInSystem, ExportRules> = {
  billing: BILLING_EXPORT,
  crm: CRM_EXPORT,
  support: SUPPORT_EXPORT,
  marketing: MARKETING_EXPORT,
};

/** What each record type of the register must do, and why: written out, so a change of the register shows here. */
const EXPECTED: Record<BuiltInSystem, Record<string, 'portable' | LeftOutReason>> = {
  billing: {
    PROFILE: 'portable',
    INVOICE: 'portable',
    BANK_ACCOUNT: 'portable',
    CALL: 'portable',
    CREDIT_SCORE: 'inferred',
  },
  crm: {
    PROFILE: 'portable',
    CONTACT: 'portable',
    PROFESSIONAL: 'portable',
    ACCOUNT: 'portable',
    CONSENT: 'portable',
    CONTRACT: 'portable',
    INTEREST: 'inferred',
  },
  support: { TICKET: 'portable', NOTE: 'staff_note' },
  marketing: { LIST: 'portable', SUPPRESSION: 'legal_basis' },
};

const data = demoData(new Date('2026-02-16T09:30:00Z'));
/** The origin the systems give a record type (a suppression entry, not in the demo data, is `provided`). */
const originOf = (system: BuiltInSystem, type: string) =>
  data[system].find((i) => recordType(String(i.sk)) === type)?.origin ?? 'provided';

/** One row per record type of each system's processing lines in the register. */
const rows = SYSTEMS.flatMap((system) =>
  [...new Set(loadProcessingRegister().systems[system].processing.flatMap((l) => l.records))].map(
    (type) => [system, type, legalBasesOf(system, type).join('+')] as const,
  ),
);

describe('Portability scope (P7, Art. 20(1))', () => {
  it('has an expectation for exactly the record types the register lists', () => {
    // Prepare: the register's record types per system
    const listed = rows.map(([system, type]) => `${system} ${type}`).sort();

    // Act: the ones this table expects
    const expected = SYSTEMS.flatMap((s) => Object.keys(EXPECTED[s]).map((type) => `${s} ${type}`)).sort();

    // Assess
    expect(expected).toEqual(listed);
  });

  it.each(rows)(
    'decides %s %s (register: %s) as the table says, for the reason the register gives',
    (system, type) => {
      // Prepare: a record of this type, with the origin the system gives it, and the system's own rules
      const record = { recordType: type, origin: originOf(system, type) };
      const bases = legalBasesOf(system, type);

      // Act
      const decision = portabilityScope(system, record, RULES[system].staffWritten);

      // Assess: in or out as expected; in only on consent or contract; out on the basis only when neither applies
      const expected = EXPECTED[system][type];
      expect(decision.portable ? 'portable' : decision.reason).toBe(expected);
      const onConsentOrContract = bases.some((b) => PORTABLE_BASES.includes(b));
      if (expected === 'portable') expect(onConsentOrContract).toBe(true);
      if (expected === 'legal_basis') {
        expect(onConsentOrContract).toBe(false);
        expect(decision).toEqual({ portable: false, reason: 'legal_basis', legalBasis: bases });
      }
    },
  );

  it('keeps a record type out that rests only on a legal obligation, naming that basis', () => {
    // Prepare: marketing's suppression entry (the record of an objection, opt-out or erasure)
    const record = { recordType: 'SUPPRESSION', origin: 'provided' };

    // Act
    const decision = portabilityScope('marketing', record);

    // Assess
    expect(decision).toEqual({ portable: false, reason: 'legal_basis', legalBasis: ['legal_obligation'] });
  });

  it('takes a record type on consent or contract, even where another purpose rests on legitimate interest', () => {
    // Prepare: the CRM account (contract for accounts, legitimate interest for service access)
    // Act
    const decision = portabilityScope('crm', { recordType: 'ACCOUNT', origin: 'provided' });

    // Assess
    expect(legalBasesOf('crm', 'ACCOUNT')).toEqual(['contract', 'legitimate_interest']);
    expect(decision).toEqual({ portable: true });
  });

  it('leaves out inferred data whatever its basis: the credit score rests on the contract (eligibility)', () => {
    // Prepare: the billing credit score, inferred, on contract
    // Act
    const decision = portabilityScope('billing', { recordType: 'CREDIT_SCORE', origin: 'inferred' });

    // Assess
    expect(legalBasesOf('billing', 'CREDIT_SCORE')).toEqual(['contract']);
    expect(decision).toEqual({ portable: false, reason: 'inferred' });
  });

  it('leaves out a record type the register does not list: no basis on record', () => {
    // Prepare, Act
    const decision = portabilityScope('crm', { recordType: 'UNLISTED', origin: 'provided' });

    // Assess
    expect(decision).toEqual({ portable: false, reason: 'legal_basis', legalBasis: [] });
  });

  it('leaves out a restricted record of a portable type: it is kept only on a legal ground (Art. 18)', () => {
    // Prepare, Act
    const decision = portabilityScope('billing', {
      recordType: 'INVOICE',
      origin: 'provided',
      restricted: true,
    });

    // Assess
    expect(decision).toEqual({ portable: false, reason: 'restricted' });
  });
});
