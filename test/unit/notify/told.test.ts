// Say only what happened (P13, P10; Art. 15(1)(c), Art. 19; CJEU C-154/21): which recipients had this subject's
// data, from what the systems found, and which of them have been told, from what the notice store holds.
import { describe, expect, it } from 'vitest';
import { noticesForRequest } from '../../../functions/core/notifications.ts';
import { tellSubject } from '../../../functions/core/progress.ts';
import {
  noticeStanding,
  receivedThrough,
  recipientsOfSubject,
} from '../../../functions/core/recipients-reached.ts';
import { loadRecipients, RecipientsRegister } from '../../../functions/core/registers/index.ts';
import type { SystemState } from '../../../functions/core/request.ts';
import { memoryAudit, memoryMailer, memoryStore } from '../../fixtures/fakes.ts';
import { RECEIVED_AT as AT, requestRecord } from '../../fixtures/requests.ts';
import { memoryNotices } from './fakes.ts';

const recipient = (id: string) => {
  const found = loadRecipients().recipients.find((r) => r.id === id);
  if (!found) throw new Error(`No recipient ${id}`);
  return found;
};

/** A system that acted and where the locate found these record types (and lists). */
const found = (recordTypes: string[], lists?: string[]): SystemState => ({
  state: 'done',
  located: { found: true, records: 3, categories: ['contact'], recordTypes, ...(lists ? { lists } : {}) },
  outcomes: [{ kind: 'erased', records: 3, category: 'contact' }],
});
const absent: SystemState = {
  state: 'done',
  located: { found: false, records: 0, categories: [] },
  outcomes: [{ kind: 'not_found' }],
};

/** Jan Peeters of the demo data: invoices, a CRM profile and tickets, on no mailing list. */
const JAN = {
  billing: found(['BANK_ACCOUNT', 'CALL', 'CREDIT_SCORE', 'INVOICE', 'PROFILE']),
  crm: found(['ACCOUNT', 'CONSENT', 'CONTACT', 'PROFESSIONAL', 'PROFILE']),
  support: found(['NOTE', 'TICKET']),
  marketing: absent,
};

const ids = (xs: { recipient: { id: string } }[]) => xs.map((x) => x.recipient.id);

describe('Recipients reached: from what was found, not the register (P13, CJEU C-154/21)', () => {
  it('counts a list processor only for a subject on its list (Art. 15(1)(c))', () => {
    // Prepare: marketing found her on the newsletter only
    const holding = found(['LIST'], ['newsletter']).located;

    // Act
    const newsletter = receivedThrough(recipient('email-marketing'), 'marketing', holding);
    const mailing = receivedThrough(recipient('direct-mailing'), 'marketing', holding);

    // Assess
    expect(newsletter).toBe(true);
    expect(mailing).toBe(false);
  });

  it('counts the invoicing processor only for a subject with invoices (Art. 15(1)(c))', () => {
    // Prepare: one billing customer with invoices, one with a profile and a bank account only
    const withInvoices = found(['INVOICE', 'PROFILE']).located;
    const without = found(['BANK_ACCOUNT', 'PROFILE']).located;

    // Act, Assess
    expect(receivedThrough(recipient('invoicing'), 'billing', withInvoices)).toBe(true);
    expect(receivedThrough(recipient('invoicing'), 'billing', without)).toBe(false);
    expect(receivedThrough(recipient('invoicing'), 'crm', withInvoices)).toBe(false);
  });

  it('says "unknown" where a system found the subject but did not name the record types', () => {
    // Prepare: a locate recorded without record types (before they were recorded)
    const legacy = { found: true, records: 2, categories: ['marketing'] };

    // Act
    const got = receivedThrough(recipient('email-marketing'), 'marketing', legacy);
    const notThere = receivedThrough(recipient('email-marketing'), 'marketing', absent.located);

    // Assess: unknown, never "yes"; a system that found nothing is a plain "no"
    expect(got).toBeUndefined();
    expect(notThere).toBe(false);
  });

  it('names for a subject on no mailing list the invoicing and re-orders processors only (P1, Art. 15(1)(c))', () => {
    // Act
    const shared = recipientsOfSubject(JAN);

    // Assess
    expect(ids(shared.received)).toEqual(['invoicing', 'reorders']);
    expect(shared.received.find((x) => x.recipient.id === 'invoicing')?.systems).toEqual(['billing']);
    expect(shared.unknown).toEqual([]);
  });

  it('keeps the recipients of a system that gave no facts apart, as categories only', () => {
    // Prepare: marketing holds her but recorded no record types
    const systems = {
      ...JAN,
      marketing: { ...found([]), located: { found: true, records: 1, categories: [] } },
    };

    // Act
    const shared = recipientsOfSubject(systems);

    // Assess
    expect(ids(shared.received)).toEqual(['invoicing', 'reorders']);
    expect(ids(shared.unknown)).toEqual(['email-marketing', 'direct-mailing']);
  });

  it('sends no notice to a processor that never had her: only the newsletter processor of a newsletter subscriber (P13, Art. 19)', () => {
    // Prepare: an erasure and an objection of a subject on the newsletter only, found in CRM and marketing
    const systems = {
      billing: absent,
      crm: found(['PROFILE']),
      support: absent,
      marketing: found(['LIST'], ['newsletter']),
    };
    const erasure = requestRecord({ type: 'erasure', systems });
    const objection = requestRecord({ type: 'objection', scope: ['direct_marketing'], systems });

    // Act
    const erased = noticesForRequest(erasure, AT).map((p) => p.recipientId);
    const objected = noticesForRequest(objection, AT).map((p) => p.recipientId);

    // Assess: no address goes to the direct-mailing processor, nor to invoicing
    expect(erased.sort()).toEqual(['email-marketing', 'reorders']);
    expect(objected).toEqual(['email-marketing']);
  });

  it('refuses a register whose recipient receives a record type its systems do not hold', () => {
    // Prepare: invoicing said to receive support tickets
    const register = structuredClone(loadRecipients());
    const invoicing = register.recipients.find((r) => r.id === 'invoicing');
    if (invoicing) invoicing.records = ['TICKET'];

    // Act
    const parsed = RecipientsRegister.safeParse(register);

    // Assess
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('TICKET');
  });
});

describe('Recipients told: only an acknowledged notice counts (P13, P10)', () => {
  const notice = (recipientId: string, status: 'sent' | 'acknowledged') => ({
    owner: { kind: 'request' as const, id: 'r_x' },
    recipientId,
    event: 'rectification' as const,
    idempotencyKey: `r_x:${recipientId}`,
    status,
    attempts: 1,
    firstSentAt: AT.toISOString(),
    lastAttemptAt: AT.toISOString(),
  });

  it('splits told from still being told, in the register order', () => {
    // Prepare: four planned; re-orders acknowledged, invoicing unanswered, direct mailing never recorded
    const planned = ['reorders', 'invoicing', 'direct-mailing', 'email-marketing'];
    const records = [
      notice('reorders', 'acknowledged'),
      notice('invoicing', 'sent'),
      notice('email-marketing', 'acknowledged'),
    ];

    // Act
    const { told, pending } = noticeStanding(planned, records);

    // Assess
    expect(told.map((r) => r.id)).toEqual(['email-marketing', 'reorders']);
    expect(pending.map((r) => r.id)).toEqual(['invoicing', 'direct-mailing']);
  });

  it('tells the subject who confirmed and who will still be told, as the notice store has it (Art. 19)', async () => {
    // Prepare: Jan's rectification of his last name; re-orders acknowledged, invoicing did not answer
    const store = memoryStore();
    const r = requestRecord({ type: 'rectification', changes: { lastName: 'Peeters-Claes' }, systems: JAN });
    await store.create(r);
    const notices = memoryNotices();
    const plans = noticesForRequest(r, AT);
    for (const plan of plans) await notices.recordAttempt({ kind: 'request', id: r.id }, plan, AT);
    await notices.acknowledge({ kind: 'request', id: r.id }, 'reorders', AT);
    const mailer = memoryMailer();

    // Act
    await tellSubject({ store, audit: memoryAudit(), mailer, now: () => AT, notices }, r.id);

    // Assess: told names re-orders only; invoicing is still being told
    const text = mailer.sent[0]?.text ?? '';
    expect(plans.map((p) => p.recipientId).sort()).toEqual(['invoicing', 'reorders']);
    expect(text).toContain(
      'We hebben deze ontvangers van uw gegevens op de hoogte gebracht en zij hebben de ontvangst bevestigd: Voorbeeld Logistiek BV.',
    );
    expect(text).toContain(
      'Ook deze ontvangers van uw gegevens brengen we op de hoogte: Voorbeeld Facturatie NV.',
    );
    expect(text).not.toContain('de ontvangers van uw gegevens hebben we op de hoogte gebracht');
  });

  it('claims no recipient was told when the mail is built without the notice store', async () => {
    // Prepare: the same rectification, nothing known of its notices
    const store = memoryStore();
    const r = requestRecord({ type: 'rectification', changes: { lastName: 'Peeters-Claes' }, systems: JAN });
    await store.create(r);
    const mailer = memoryMailer();

    // Act
    await tellSubject({ store, audit: memoryAudit(), mailer, now: () => AT }, r.id);

    // Assess: both are named as still to be told, none as told
    const text = mailer.sent[0]?.text ?? '';
    expect(text).not.toContain('ontvangst bevestigd');
    expect(text).toContain('Voorbeeld Facturatie NV, Voorbeeld Logistiek BV');
  });
});
