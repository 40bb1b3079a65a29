// The systems' erasure rules (P3): what outlives an erasure, on which ground and until when, stripped to what the
// ground needs; and that every ground of core/retention.ts is produced by some rule, every register rule used.

import { describe, expect, it } from 'vitest';
import { issuedInvoice } from '../../../functions/connectors/billing/connector.ts';
import {
  CALL_KEPT_FIELDS,
  INVOICE_KEPT_FIELDS,
  PAYMENT_KEPT_FIELDS,
  restrictBilling,
} from '../../../functions/connectors/billing/restriction.ts';
import {
  CONTRACT_KEPT_FIELDS,
  PARTY_KEPT_FIELDS,
  restrictForContract,
} from '../../../functions/connectors/crm/restriction.ts';
import {
  CONTACT_AND_FINANCIAL_FIELDS,
  findFields,
  type StoredItem,
} from '../../../functions/connectors/records.ts';
import type { RestrictionRule } from '../../../functions/connectors/store/index.ts';
import {
  NOTE_KEPT_FIELDS,
  restrictDispute,
  TICKET_KEPT_FIELDS,
} from '../../../functions/connectors/support/restriction.ts';
import { knownLabel, LANGUAGES } from '../../../functions/core/messages/index.ts';
import { loadProcessingRegister, PERIOD_RULES, purposesOf } from '../../../functions/core/registers/index.ts';
import { GROUND_RULES, RETENTION_GROUNDS } from '../../../functions/core/retention.ts';
import { allSystems } from '../../../functions/core/systems.ts';

const NOW = new Date('2026-11-25T09:00:00Z');
const PHONE = '+32478901234';
const EMAIL = 'celine.dubois@example.be';
const who = { pk: 'CUST#C-100927', customerNumber: 'C-100927' };

const invoice = (number: string, status: string, invoiceDate: string, dueDate: string): StoredItem => ({
  ...who,
  sk: `INVOICE#${number}`,
  category: 'contract',
  invoiceNumber: number,
  invoiceDate,
  dueDate,
  name: 'Céline Dubois',
  email: EMAIL,
  phone: PHONE,
  total: 90,
  status,
  payment: {
    amount: 0,
    method: 'direct_debit',
    iban: 'BE32068012345602',
    mandateId: 'M-1',
    reference: '+++1/2/3+++',
  },
});
const call = (startedAt: string, invoiceNumber?: string): StoredItem => ({
  ...who,
  sk: `CALL#${startedAt}`,
  category: 'usage',
  startedAt,
  callingNumber: PHONE,
  calledNumber: '+3269221100',
  durationSeconds: 95,
  costEur: 0,
  ...(invoiceNumber ? { invoiceNumber } : {}),
});
const disputed = invoice('2026-0908', 'disputed', '2026-09-01', '2026-10-01');
const paid = invoice('2026-0808', 'paid', '2026-08-01', '2026-08-31');
const unpaid = invoice('2026-1008', 'unpaid', '2026-10-01', '2026-10-31');
const billingRecords = [disputed, paid, unpaid];

const ticket = (id: string, fields: Record<string, unknown>): StoredItem => ({
  ...who,
  sk: `TICKET#${id}`,
  category: 'support',
  ticketId: id,
  firstName: 'Céline',
  lastName: 'Dubois',
  email: EMAIL,
  phone: PHONE,
  openedAt: '2026-09-10T09:00:00.000Z',
  subject: 'Contestation de la facture finale',
  description: `Je conteste les frais ; joignable au 0478 90 12 34 ou ${EMAIL}.`,
  channel: 'email',
  ...fields,
});
const note = (ticketId: string, at: string): StoredItem => ({
  ...who,
  sk: `NOTE#${at}`,
  category: 'support',
  ticketId,
  at,
  agent: 'agent 132',
  text: `Mme Dubois rappelle au 0478 90 12 34 ou à ${EMAIL}.`,
});
const dispute = { topic: 'invoice_dispute', invoiceNumber: '2026-0908', invoiceDueDate: '2026-10-01' };
const openDispute = ticket('T-1', { ...dispute, status: 'open' });
const closedDispute = ticket('T-2', { ...dispute, status: 'closed' });
const otherTicket = ticket('T-3', { status: 'open' });
const supportRecords = [openDispute, closedDispute, otherTicket];

const contract = (number: string, status: string, endsAt?: string): StoredItem => ({
  ...who,
  sk: `CONTRACT#${number}`,
  category: 'contract',
  contractNumber: number,
  product: 'Abonnement mobile Relax 25 GB',
  startedAt: '2024-09-26',
  status,
  ...(endsAt ? { endsAt } : {}),
});
const profile: StoredItem = {
  ...who,
  sk: 'PROFILE',
  category: 'identification',
  firstName: 'Céline',
  lastName: 'Dubois',
  birthDate: '1990-01-12',
  gender: 'F',
  email: EMAIL,
};
const running = contract('CT-2', 'active', '2027-03-31');
const ended = contract('CT-1', 'ended', '2026-08-31');

type Row = [
  string,
  RestrictionRule,
  StoredItem,
  StoredItem[],
  { ground: string; until: string }[] | undefined,
];

const ROWS: Row[] = [
  [
    'billing: a paid invoice, on the fiscal ground',
    restrictBilling,
    paid,
    billingRecords,
    [{ ground: 'fiscal_retention', until: '2036-12-31' }],
  ],
  [
    'billing: a disputed invoice, on the claim and then the fiscal ground',
    restrictBilling,
    disputed,
    billingRecords,
    [
      { ground: 'open_claim', until: '2031-10-01' },
      { ground: 'fiscal_retention', until: '2036-12-31' },
    ],
  ],
  [
    'billing: a call on the disputed invoice, with the claim',
    restrictBilling,
    call('2026-08-11T17:00:00.000Z', '2026-0908'),
    billingRecords,
    [{ ground: 'open_claim', until: '2031-10-01' }],
  ],
  [
    'billing: a call on the unpaid invoice, with the claim',
    restrictBilling,
    call('2026-09-11T17:00:00.000Z', '2026-1008'),
    billingRecords,
    [{ ground: 'open_claim', until: '2031-10-31' }],
  ],
  [
    'billing: a call on a paid invoice, as traffic data',
    restrictBilling,
    call('2026-07-05T09:00:00.000Z', '2026-0808'),
    billingRecords,
    [{ ground: 'traffic_data', until: '2027-07-31' }],
  ],
  [
    'billing: a call not billed yet, as traffic data',
    restrictBilling,
    call('2026-11-20T10:00:00.000Z'),
    billingRecords,
    [{ ground: 'traffic_data', until: '2027-11-30' }],
  ],
  [
    'billing: a call on the disputed invoice when that invoice is not hers here',
    restrictBilling,
    call('2026-08-11T17:00:00.000Z', '2026-0908'),
    [paid],
    [{ ground: 'traffic_data', until: '2027-08-31' }],
  ],
  [
    'billing: a call past its traffic-data period',
    restrictBilling,
    call('2025-08-10T18:00:00.000Z', '2025-0908'),
    billingRecords,
    undefined,
  ],
  [
    'billing: a call without a readable date',
    restrictBilling,
    { ...call('x'), sk: 'CALL#0000001', startedAt: undefined },
    billingRecords,
    undefined,
  ],
  [
    'billing: the profile',
    restrictBilling,
    { ...who, sk: 'PROFILE', email: EMAIL },
    billingRecords,
    undefined,
  ],
  [
    'support: an open dispute ticket, with the claim',
    restrictDispute,
    openDispute,
    supportRecords,
    [{ ground: 'open_claim', until: '2031-10-01' }],
  ],
  [
    'support: a note of the open dispute, with the claim',
    restrictDispute,
    note('T-1', '2026-09-11T08:00:00.000Z'),
    supportRecords,
    [{ ground: 'open_claim', until: '2031-10-01' }],
  ],
  [
    'support: an open dispute naming no due date, counted from its opening',
    restrictDispute,
    ticket('T-4', { topic: 'invoice_dispute', invoiceNumber: '2026-0908', status: 'open' }),
    [],
    [{ ground: 'open_claim', until: '2031-09-10' }],
  ],
  ['support: a settled (closed) dispute', restrictDispute, closedDispute, supportRecords, undefined],
  [
    'support: a note of the settled dispute',
    restrictDispute,
    note('T-2', '2026-09-12T08:00:00.000Z'),
    supportRecords,
    undefined,
  ],
  ['support: an open ticket that disputes nothing', restrictDispute, otherTicket, supportRecords, undefined],
  [
    'support: a note of that ticket',
    restrictDispute,
    note('T-3', '2026-09-13T08:00:00.000Z'),
    supportRecords,
    undefined,
  ],
  [
    'crm: a running contract, to its end',
    restrictForContract,
    running,
    [running, ended, profile],
    [{ ground: 'running_contract', until: '2027-03-31' }],
  ],
  [
    'crm: the party to a running contract',
    restrictForContract,
    profile,
    [running, ended, profile],
    [{ ground: 'running_contract', until: '2027-03-31' }],
  ],
  ['crm: an ended contract', restrictForContract, ended, [running, ended, profile], undefined],
  [
    'crm: the profile when every contract has ended',
    restrictForContract,
    profile,
    [ended, profile],
    undefined,
  ],
  [
    'crm: an active contract past its end date',
    restrictForContract,
    contract('CT-3', 'active', '2026-10-31'),
    [],
    undefined,
  ],
  [
    'crm: the contact record, even while a contract runs',
    restrictForContract,
    { ...who, sk: 'CONTACT', email: EMAIL },
    [running],
    undefined,
  ],
];

describe('Erasure rules of the systems (P3)', () => {
  it.each(ROWS)('keeps %s', (_, rule, item, related, periods) => {
    // Prepare: the record and the subject's other records (above). Act:
    const restriction = rule(item, NOW, [item, ...related]);

    // Assess: the grounds with their dates, or deleted; a kept record holds no contact or bank data at any depth,
    // nor her number or address inside free text
    expect(restriction?.retention.periods).toEqual(periods);
    if (restriction) {
      expect(findFields(restriction.keep, CONTACT_AND_FINANCIAL_FIELDS)).toEqual([]);
      const text = JSON.stringify(restriction.keep);
      for (const trace of [EMAIL, PHONE, '0478 90 12 34', 'Dubois rappelle'])
        expect(text).not.toContain(trace);
    }
  });

  it('names the claim on everything an open claim keeps, so the purge can ask billing again (P3, P11)', () => {
    // Prepare: the disputed invoice, a call on it, the dispute ticket and its note. Act:
    const kept = [
      restrictBilling(disputed, NOW, billingRecords),
      restrictBilling(call('2026-08-11T17:00:00.000Z', '2026-0908'), NOW, billingRecords),
      restrictDispute(openDispute, NOW, supportRecords),
      restrictDispute(note('T-1', '2026-09-11T08:00:00.000Z'), NOW, supportRecords),
    ];

    // Assess
    for (const r of kept) expect(r?.retention.claim).toEqual({ invoiceNumber: '2026-0908' });
    expect(restrictBilling(paid, NOW, billingRecords)?.retention.claim).toBeUndefined();
    expect(restrictForContract(profile, NOW, [running, profile])?.retention.contracts).toEqual(['CT-2']);
  });

  it('keeps of a dispute ticket what the claim needs, its text stripped of names and contact data (P3, Art. 5(1)(c))', () => {
    // Prepare, Act: the open dispute ticket and a note of it
    const kept = restrictDispute(openDispute, NOW, supportRecords)?.keep;
    const keptNote = restrictDispute(note('T-1', '2026-09-11T08:00:00.000Z'), NOW, supportRecords)?.keep;

    // Assess: which invoice, when, how, what was said; no names; the note keeps its agent and stripped text
    expect(kept).toEqual({
      customerNumber: 'C-100927',
      ticketId: 'T-1',
      topic: 'invoice_dispute',
      invoiceNumber: '2026-0908',
      invoiceDueDate: '2026-10-01',
      openedAt: '2026-09-10T09:00:00.000Z',
      status: 'open',
      channel: 'email',
      subject: 'Contestation de la facture finale',
      description: 'Je conteste les frais ; joignable au [number removed] ou [e-mail removed].',
    });
    expect(keptNote).toMatchObject({ ticketId: 'T-1', agent: 'agent 132' });
    expect(String(keptNote?.text)).not.toContain('Dubois');
  });

  it('keeps of a call what proves or corrects the bill, not the line it was made from (P3, ECA art. 122)', () => {
    // Prepare, Act
    const kept = restrictBilling(call('2026-08-11T17:00:00.000Z', '2026-0908'), NOW, billingRecords)?.keep;

    // Assess
    expect(kept).toEqual({
      customerNumber: 'C-100927',
      invoiceNumber: '2026-0908',
      startedAt: '2026-08-11T17:00:00.000Z',
      calledNumber: '+3269221100',
      durationSeconds: 95,
      costEur: 0,
    });
  });

  it('erases a call whose key and attribute hold no date: erasure is the rule (P3)', () => {
    // Prepare: a stray call record keyed by a sequence number
    const undated: StoredItem = { ...who, sk: 'CALL#0000003', category: 'usage', durationSeconds: 95 };
    // Act
    const decided = restrictBilling(undated, NOW, billingRecords);
    // Assess: nothing says when it was made, so erasure is the rule
    expect(decided?.keep).toBeUndefined();
  });

  it('keeps of the party to a running contract only who they are (P3, Art. 5(1)(c))', () => {
    // Prepare, Act
    const kept = restrictForContract(profile, NOW, [running, profile])?.keep;

    // Assess
    expect(kept).toEqual({ customerNumber: 'C-100927', firstName: 'Céline', lastName: 'Dubois' });
  });

  it('words every field a rule keeps in nl, fr and en, for the erasure mail (P3, P18)', () => {
    // Prepare: every field any rule keeps
    const fields = [
      ...INVOICE_KEPT_FIELDS,
      ...PAYMENT_KEPT_FIELDS,
      ...CALL_KEPT_FIELDS,
      ...TICKET_KEPT_FIELDS,
      ...NOTE_KEPT_FIELDS,
      ...CONTRACT_KEPT_FIELDS,
      ...PARTY_KEPT_FIELDS,
    ];

    // Act
    const unworded = LANGUAGES.flatMap((lang) =>
      fields
        .filter((f) => !(knownLabel('field', f, lang) ?? knownLabel('reportField', f, lang)))
        .map((f) => `${lang} ${f}`),
    );

    // Assess
    expect(unworded).toEqual([]);
  });
});

describe('No retention ground stays unused (P3)', () => {
  it('produces every ground of RETENTION_GROUNDS from some rule of some system', () => {
    // Prepare: each rule over the records above; a rectification's rule over an issued invoice.
    const produced = new Set<string>();

    // Act
    for (const [, rule, item, related] of ROWS) {
      for (const g of rule(item, NOW, [item, ...related])?.retention.grounds ?? []) produced.add(g);
    }
    for (const g of issuedInvoice(paid)?.grounds ?? []) produced.add(g);

    // Assess
    expect([...produced].sort()).toEqual([...RETENTION_GROUNDS].sort());
  });

  it('uses every retention rule of the register, and counts each dated ground with a rule that has a period (P17)', () => {
    // Prepare
    const register = loadProcessingRegister();
    const inLines = allSystems().flatMap((s) => purposesOf(s).map((l) => l.retention.rule));
    const byGrounds = Object.values(GROUND_RULES).filter((r) => r !== undefined);

    // Act
    const unused = Object.keys(register.retentionRules).filter(
      (rule) => !inLines.includes(rule as never) && !byGrounds.includes(rule as never),
    );

    // Assess: nothing unused; the rules the code counts dates with each have a period
    expect(unused).toEqual([]);
    for (const rule of PERIOD_RULES) expect(byGrounds).toContain(rule);
    for (const rule of byGrounds) expect(rule in register.retentionRules).toBe(true);
  });

  it.each(PERIOD_RULES)(
    'states the %s period in words in nl, fr and en, as the register counts it (P17, P18)',
    (rule) => {
      // Prepare
      const entry = loadProcessingRegister().retentionRules[rule];

      // Act
      const period = String(entry.years ?? entry.months);

      // Assess
      for (const lang of LANGUAGES)
        expect(entry.text[lang]).toMatch(new RegExp(`\\b${period} (jaar|ans|years|maanden|mois|months)\\b`));
    },
  );
});
