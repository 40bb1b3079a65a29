// Which recipients a request affects and what each is told (P13, Art. 19, Art. 28(3)(a)), from the real register.
import { describe, expect, it } from 'vitest';
import { noticesForOptOut, noticesForRequest } from '../../../functions/core/notifications.ts';
import type { RequestRecord, SystemState } from '../../../functions/core/request.ts';
import { RECEIVED_AT as AT, erased, everyErased, requestRecord } from '../../fixtures/requests.ts';

const EMAIL = 'an.devos@example.be';

const absent: SystemState = {
  state: 'done',
  located: { found: false, records: 0, categories: [] },
  outcomes: [{ kind: 'not_found' }],
};
const allFound = everyErased();

const ids = (plans: { recipientId: string }[]) => plans.map((p) => p.recipientId).sort();

describe('Notifications: who is told what (P13)', () => {
  it('tells every recipient of a system that held the subject to erase, by the address it knows her by (Art. 19)', () => {
    // Prepare
    const r = requestRecord({ type: 'erasure' });
    // Act
    const plans = noticesForRequest(r, AT);
    // Assess
    expect(ids(plans)).toEqual(['direct-mailing', 'email-marketing', 'invoicing', 'reorders']);
    for (const p of plans) {
      expect(p.event).toBe('erasure');
      expect(p.body).toMatchObject({
        instruction: 'erase',
        subject: { email: EMAIL },
        noticeId: `${r.id}:${p.recipientId}`,
        controller: { name: 'JSM BV' },
      });
      expect(p.body.changes).toBeUndefined();
    }
    expect(plans.find((p) => p.recipientId === 'email-marketing')?.body.lists).toEqual(['newsletter']);
  });

  it('tells no recipient whose systems never held the subject: no address goes where it was not (P13)', () => {
    // Prepare: only the CRM held her
    const r = requestRecord({
      systems: { billing: absent, crm: erased(), support: absent, marketing: absent },
    });
    // Act
    const plans = noticesForRequest(r, AT);
    // Assess
    expect(ids(plans)).toEqual(['reorders']);
  });

  it('waits for a system that failed: its recipients are told once a retry has acted', () => {
    // Prepare: marketing failed
    const failed: SystemState = {
      state: 'failed',
      outcomes: [{ kind: 'failed', retryable: true, reason: 'x' }],
    };
    const r = requestRecord({ systems: { ...allFound, marketing: failed } });
    // Act
    const plans = noticesForRequest(r, AT);
    // Assess
    expect(ids(plans)).toEqual(['invoicing', 'reorders']);
  });

  it('sends a rectification only to recipients receiving a changed field, with those new values only (P2, Art. 19)', () => {
    // Prepare: the address is only what direct mailing receives; the job title no recipient receives.
    const r = requestRecord({
      type: 'rectification',
      changes: {
        address: { street: 'Nieuwstraat 1', postalCode: '8500', city: 'Kortrijk', country: 'BE' },
        jobTitle: 'Architect',
      },
    });
    // Act
    const plans = noticesForRequest(r, AT);
    // Assess
    expect(ids(plans)).toEqual(['direct-mailing']);
    expect(plans[0]?.body).toMatchObject({
      event: 'rectification',
      instruction: 'rectify',
      subject: { email: EMAIL },
      changes: { address: { street: 'Nieuwstraat 1', postalCode: '8500', city: 'Kortrijk', country: 'BE' } },
    });
    expect(plans[0]?.body.changes).not.toHaveProperty('jobTitle');
  });

  it('tells every recipient of a new name, keyed by the old address, with the new address when it changed', () => {
    // Prepare
    const r = requestRecord({
      type: 'rectification',
      changes: { lastName: 'Devos-Peeters', email: 'an@new.example.be' },
    });
    // Act
    const plans = noticesForRequest(r, AT);
    // Assess
    expect(ids(plans)).toEqual(['direct-mailing', 'email-marketing', 'invoicing', 'reorders']);
    for (const p of plans) {
      expect(p.body.subject).toEqual({ email: EMAIL });
      expect(p.body.changes).toEqual({ lastName: 'Devos-Peeters', email: 'an@new.example.be' });
    }
  });

  it('instructs the marketing processors to stop after an objection to direct marketing (P6, Art. 28(3)(a))', () => {
    // Prepare
    const r = requestRecord({ type: 'objection', scope: ['direct_marketing'] });
    // Act
    const plans = noticesForRequest(r, AT);
    // Assess
    expect(ids(plans)).toEqual(['direct-mailing', 'email-marketing']);
    for (const p of plans)
      expect(p.body).toMatchObject({ event: 'objection', instruction: 'stop_processing' });
    expect(plans.find((p) => p.recipientId === 'direct-mailing')?.body.lists).toEqual(['direct_mailing']);
  });

  it.each([
    ['an objection to profiling only', { type: 'objection', scope: ['profiling'] }],
    ['an access request', { type: 'access' }],
    ['a portability request', { type: 'portability' }],
    ['a rejected erasure', { type: 'erasure', status: 'rejected' }],
    ['an erasure whose address is already gone', { type: 'erasure', email: '' }],
  ] as [string, Partial<RequestRecord>][])('notifies no one for %s', (_what, overrides) => {
    // Prepare
    const r = requestRecord(overrides);
    // Act
    const plans = noticesForRequest(r, AT);
    // Assess
    expect(plans).toEqual([]);
  });

  it('tells the e-mail marketing processor of a newsletter opt-out, and the direct-mailing processor to stop for its list (P5)', () => {
    // Prepare
    const optOut = (id: string, list: 'newsletter' | 'direct_mailing') =>
      noticesForOptOut({ id, email: EMAIL, list, at: AT });
    // Act
    const newsletter = optOut('o_x', 'newsletter');
    const mailing = optOut('o_y', 'direct_mailing');
    // Assess
    expect(newsletter).toHaveLength(1);
    expect(newsletter[0]).toMatchObject({
      recipientId: 'email-marketing',
      event: 'opt_out',
      body: {
        instruction: 'unsubscribe',
        lists: ['newsletter'],
        subject: { email: EMAIL },
        noticeId: 'o_x:email-marketing',
      },
    });
    expect(mailing.map((p) => [p.recipientId, p.event, p.body.lists])).toEqual([
      ['direct-mailing', 'objection', ['direct_mailing']],
    ]);
  });

  it('puts no personal data in anything but the body: ids and events only around it', () => {
    // Prepare
    const r = requestRecord();
    // Act
    const plans = noticesForRequest(r, AT);
    // Assess
    for (const p of plans) {
      expect(p.recipientId).not.toContain('@');
      expect(p.body.noticeId).not.toContain('@');
    }
  });
});
