import { describe, expect, it } from 'vitest';
import { sweepExpiry } from '../../../functions/core/expiry.ts';
import { fileRequest, verifyRequest } from '../../../functions/core/intake.ts';
import { minimised, personalFields } from '../../../functions/core/minimise.ts';
import type { Mail } from '../../../functions/core/ports.ts';
import type { RequestRecord } from '../../../functions/core/request.ts';
import { memoryExpiryIndex } from '../../fixtures/expiry.ts';
import { failNextMail, fakeDeps } from '../../fixtures/fakes.ts';
import { refused } from '../../fixtures/problems.ts';
import { requestRecord } from '../../fixtures/requests.ts';

const DAY = 86_400_000;
const FILED = '2026-03-02T10:00:00.000Z';

/** The fakes with the sweep's index and a 30-day minimisation period. */
function sweepDeps() {
  const d = fakeDeps();
  return { ...d, index: memoryExpiryIndex(d.store), minimiseAfterDays: 30 };
}

/** A rectification of the last name, filed at FILED and never verified. */
async function unverifiedRectification(d: ReturnType<typeof sweepDeps>, language?: 'en') {
  const { id } = await fileRequest(
    d,
    {
      type: 'rectification',
      email: 'an.devos@example.be',
      changes: { lastName: 'Peeters' },
      ...(language ? { language } : {}),
    },
    '10.0.0.1',
  );
  const code = /(\d{8})/.exec(d.mailer.sent.at(-1)?.text ?? '')?.[1] ?? '';
  d.mailer.sent.length = 0;
  return { id, code };
}

const at = (offsetMs: number) => new Date(Date.parse(FILED) + offsetMs).toISOString();

describe('Expiry of requests never verified (P8, P9)', () => {
  it('expires a request unverified for 14 days, tells the subject how to start again and keeps no personal data', async () => {
    // Prepare: a rectification never verified, and the clock a minute past 14 days
    const d = sweepDeps();
    const { id } = await unverifiedRectification(d, 'en');
    d.setClock(at(14 * DAY + 60_000));
    // Act: the sweep runs
    const result = await sweepExpiry(d);
    // Assess: expired, told and minimised in one run
    expect(result).toEqual({ expired: 1, told: 1, minimised: 1, failed: 0 });
    const r = d.store.items.get(id) as RequestRecord;
    expect(r).toMatchObject({ status: 'expired', email: '', type: 'rectification', receivedAt: FILED });
    expect(r.closedAt).toBe(at(14 * DAY + 60_000));
    expect(r.minimisedAt).toBe(r.closedAt);
    expect(r.toldAt).toBe(r.closedAt);
    expect(r.changes).toBeUndefined();
    expect(r.subjectRef).toMatch(/^s_/);
    // Assess: one mail, in the form's language: what happened and how to start again; no data, no code
    const [mail] = d.mailer.sent as [Mail];
    expect(d.mailer.sent).toHaveLength(1);
    expect(mail).toMatchObject({
      to: 'an.devos@example.be',
      subject: 'Your rectification request was not confirmed',
      idempotencyKey: `${id}:expired`,
    });
    for (const phrase of [
      'within 14 days',
      'without looking up, showing or changing',
      'new confirmation code',
    ])
      expect(mail.text).toContain(phrase);
    expect(mail.text).toContain('contact@apd-gba.be');
    expect(mail.text).not.toContain('Peeters');
    expect(mail.text).not.toMatch(/\d{8}/);
    // Assess: audited as expired, told and minimised, by field names only
    const trail = d.audit.entries.filter((e) => e.requestId === id).map((e) => [e.action, e.details]);
    expect(trail.slice(-3)).toEqual([
      ['request.expired', { afterDays: 14 }],
      ['subject.told', { status: 'expired', mails: ['subject'] }],
      ['request.minimised', { fields: ['email', 'changes'] }],
    ]);
  });

  it('leaves a request alone until its 14 days are over, and a verified one for good', async () => {
    // Prepare: one request unverified for a minute under 14 days, one verified on the first day
    const d = sweepDeps();
    const young = await unverifiedRectification(d, 'en');
    const done = await unverifiedRectification(d, 'en');
    await verifyRequest(d, done.id, done.code);
    d.mailer.sent.length = 0;
    d.setClock(at(14 * DAY - 60_000));
    // Act: the sweep runs under 14 days, and again well after
    const early = await sweepExpiry(d);
    const youngStatus = d.store.items.get(young.id)?.status;
    d.setClock(at(20 * DAY));
    await sweepExpiry(d);
    // Assess: nothing under 14 days; the verified request is never expired
    expect(early).toEqual({ expired: 0, told: 0, minimised: 0, failed: 0 });
    expect(youngStatus).toBe('awaiting_verification');
    expect(d.store.items.get(done.id)?.status).toBe('awaiting_approval');
    expect(d.store.items.get(done.id)?.email).toBe('an.devos@example.be');
  });

  it('writes in Dutch, French and English when the form named no language (P18)', async () => {
    // Prepare: a request that named no language, 15 days old
    const d = sweepDeps();
    await unverifiedRectification(d);
    d.setClock(at(15 * DAY));
    // Act
    await sweepExpiry(d);
    // Assess: one mail in all three languages
    const [mail] = d.mailer.sent as [Mail];
    for (const phrase of ['niet binnen 14 dagen bevestigd', 'dans les 14 jours', 'within 14 days'])
      expect(mail.text).toContain(phrase);
  });

  it('refuses the code after expiry: the request is closed (P8)', async () => {
    // Prepare: an expired request
    const d = sweepDeps();
    const { id, code } = await unverifiedRectification(d, 'en');
    d.setClock(at(15 * DAY));
    await sweepExpiry(d);
    // Act: the subject enters the code after all
    const problem = await refused(verifyRequest(d, id, code));
    // Assess: 409 request-closed, and nothing started
    expect(problem).toMatchObject({ type: 'request-closed', status: 409 });
    expect(d.workflow.started).toEqual([]);
  });

  it('sends one mail and writes each entry once however often it runs (P9)', async () => {
    // Prepare: an expired request, swept once
    const d = sweepDeps();
    const { id } = await unverifiedRectification(d, 'en');
    d.setClock(at(15 * DAY));
    await sweepExpiry(d);
    // Act: two more runs
    const again = [await sweepExpiry(d), await sweepExpiry(d)];
    // Assess: nothing more done, said or audited
    expect(again).toEqual([
      { expired: 0, told: 0, minimised: 0, failed: 0 },
      { expired: 0, told: 0, minimised: 0, failed: 0 },
    ]);
    expect(d.mailer.sent).toHaveLength(1);
    expect(d.audit.entries.filter((e) => e.requestId === id && e.action === 'request.expired')).toHaveLength(
      1,
    );
  });

  it('keeps the address until the subject is told: a failed mail is sent by the next run (P9)', async () => {
    // Prepare: an expired-to-be request, and a mail service that fails once
    const d = sweepDeps();
    const { id } = await unverifiedRectification(d, 'en');
    failNextMail(d.mailer);
    d.setClock(at(15 * DAY));
    // Act: the first run cannot mail; the second can
    const first = await sweepExpiry(d);
    const between = structuredClone(d.store.items.get(id));
    const second = await sweepExpiry(d);
    // Assess: expired at once, the address kept for the mail, then the mail and the minimisation
    expect(first).toEqual({ expired: 1, told: 0, minimised: 0, failed: 1 });
    expect(between).toMatchObject({ status: 'expired', email: 'an.devos@example.be' });
    expect(second).toEqual({ expired: 0, told: 1, minimised: 1, failed: 0 });
    expect(d.mailer.sent.map((m) => m.to)).toEqual(['an.devos@example.be']);
    expect(d.store.items.get(id)?.email).toBe('');
  });
});

describe('Minimising closed requests (P9, Art. 5(1)(e))', () => {
  const CLOSED = '2026-03-10T12:00:00.000Z';

  /** A completed erasure that kept its address, a rejected rectification and a partially completed access. */
  async function closedRequests(d: ReturnType<typeof sweepDeps>) {
    const base = { closedAt: CLOSED, email: 'an.devos@example.be' };
    await d.store.create(requestRecord({ ...base, id: 'r_0000000000000000000001', status: 'completed' }));
    await d.store.create(
      requestRecord({
        ...base,
        id: 'r_0000000000000000000002',
        type: 'rectification',
        status: 'rejected',
        changes: { lastName: 'Peeters', email: 'an.peeters@example.be' },
        rejection: { reason: 'other', at: CLOSED, explanation: 'Uw naam staat al zo in onze systemen.' },
      }),
    );
    await d.store.create(
      requestRecord({
        ...base,
        id: 'r_0000000000000000000003',
        type: 'access',
        status: 'partially_completed',
      }),
    );
  }

  it('removes the address and the requested changes after the configured period, not before (P2, P9)', async () => {
    // Prepare: the closed requests, and the clock a minute under 30 days after they closed
    const d = sweepDeps();
    await closedRequests(d);
    d.setClock(new Date(Date.parse(CLOSED) + 30 * DAY - 60_000).toISOString());
    // Act: a run under the period, then one just over it
    const early = await sweepExpiry(d);
    d.setClock(new Date(Date.parse(CLOSED) + 30 * DAY).toISOString());
    const due = await sweepExpiry(d);
    // Assess: nothing under the period; then the completed and the rejected request, no mail to anyone
    expect(early.minimised).toBe(0);
    expect(due).toEqual({ expired: 0, told: 0, minimised: 2, failed: 0 });
    expect(d.mailer.sent).toEqual([]);
    const rejected = d.store.items.get('r_0000000000000000000002') as RequestRecord;
    expect(rejected).toMatchObject({ status: 'rejected', email: '', subjectRef: 's_ref', closedAt: CLOSED });
    expect(rejected.changes).toBeUndefined();
    expect(rejected.rejection).toEqual({ reason: 'other', at: CLOSED });
    expect(rejected.systems).toEqual(requestRecord().systems);
    expect(d.store.items.get('r_0000000000000000000001')?.email).toBe('');
    // Assess: audited by field names, never values
    const entry = d.audit.entries.find((e) => e.requestId === 'r_0000000000000000000002');
    expect(entry).toMatchObject({
      action: 'request.minimised',
      details: { fields: ['email', 'changes', 'rejection.explanation'] },
    });
  });

  it('keeps a partially completed request whole: staff may still retry it and the subject is owed an answer (P3)', async () => {
    // Prepare: the closed requests, long after they closed
    const d = sweepDeps();
    await closedRequests(d);
    d.setClock('2027-01-01T00:00:00.000Z');
    // Act
    await sweepExpiry(d);
    // Assess: the partially completed request still has its address and no minimisation
    const partial = d.store.items.get('r_0000000000000000000003');
    expect(partial).toMatchObject({ status: 'partially_completed', email: 'an.devos@example.be' });
    expect(partial?.minimisedAt).toBeUndefined();
  });

  it('follows the configured period (MINIMISE_AFTER_DAYS)', async () => {
    // Prepare: the closed requests, 8 days on, with a 7-day period
    const d = { ...sweepDeps(), minimiseAfterDays: 7 };
    await closedRequests(d);
    d.setClock(new Date(Date.parse(CLOSED) + 8 * DAY).toISOString());
    // Act
    const result = await sweepExpiry(d);
    // Assess: both final requests minimised after 7 days
    expect(result.minimised).toBe(2);
  });

  it('strips every personal field, and keeps ids, dates, outcomes and the organisation told (P7, P8, P12)', () => {
    // Prepare: a portability to an organisation, for a picked customer, extended with a note
    const r = requestRecord({
      type: 'portability',
      status: 'completed',
      closedAt: CLOSED,
      recipient: { organisation: 'Telco Nova', email: 'dpo@telconova.example', confirmedAt: CLOSED },
      identity: { customerNumber: 'C-100234', by: 'staff-1', at: CLOSED },
      extension: {
        reason: 'complexity',
        dueAt: CLOSED,
        at: CLOSED,
        by: 'staff-1',
        note: 'Drie systemen nakijken',
      },
      approvalToken: 'token',
    });
    // Act
    const fields = personalFields(r);
    const out = minimised(r, new Date('2026-05-01T00:00:00Z'));
    // Assess: the names of what goes, and what stays
    expect(fields).toEqual(['email', 'recipient.email', 'identity.customerNumber', 'extension.note']);
    expect(personalFields(out)).toEqual([]);
    expect(out.recipient).toEqual({ organisation: 'Telco Nova', email: '', confirmedAt: CLOSED });
    expect(out.identity).toEqual({ customerNumber: '', by: 'staff-1', at: CLOSED });
    expect(out.extension).toEqual({ reason: 'complexity', dueAt: CLOSED, at: CLOSED, by: 'staff-1' });
    expect(out.approvalToken).toBeUndefined();
    expect(out).toMatchObject({
      id: r.id,
      subjectRef: 's_ref',
      systems: r.systems,
      minimisedAt: '2026-05-01T00:00:00.000Z',
    });
  });
});
