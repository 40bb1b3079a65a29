import { describe, expect, it } from 'vitest';
import { ExtendBody, extendRequest } from '../../../functions/core/extension.ts';
import { fileRequest, verifyRequest } from '../../../functions/core/intake.ts';
import { progressView } from '../../../functions/core/lifecycle.ts';
import type { Mail } from '../../../functions/core/ports.ts';
import { approvalWindow, MAX_WAIT_SECONDS } from '../../../functions/core/progress.ts';
import type { Language } from '../../../functions/core/schemas.ts';
import { failNextMail, fakeDeps } from '../../fixtures/fakes.ts';
import { refused } from '../../fixtures/problems.ts';

// Received 2 March 2026 at 11:00 in Brussels: due 1 April (+30 days), at most 2 June (+3 months).
const FIRST_DUE = '2026-04-01T21:59:59.999Z';
const LATEST = '2026-06-02T21:59:59.999Z';
const NOTE = 'Archived invoices in three systems to check';

/** A verified erasure awaiting approval, filed in `language` (or in none) at 2 March 2026, 10:00 UTC. */
async function verified(language?: Language) {
  const d = fakeDeps();
  const { id } = await fileRequest(
    d,
    { type: 'erasure', email: 'an.devos@example.be', ...(language ? { language } : {}) },
    '10.0.0.1',
  );
  await verifyRequest(d, id, /(\d{8})/.exec(d.mailer.sent[0]?.text ?? '')?.[1] ?? '');
  d.mailer.sent.length = 0;
  return { d, id };
}

const record = (d: ReturnType<typeof fakeDeps>, id: string) => d.store.items.get(id);

describe('Extension of the period (P9, Art. 12(3))', () => {
  it('extends once to receipt + three months and tells the subject why before the first due date (P9, P10)', async () => {
    // Prepare: a verified erasure in Dutch
    const { d, id } = await verified('nl');
    // Act: an approver extends it for complexity
    const answer = await extendRequest(d, id, 'staff-1', { reason: 'complexity', note: NOTE });
    // Assess: the new due date is receipt + three months, recorded with the ground, the note and the notice
    expect(answer).toEqual({
      id,
      status: 'awaiting_approval',
      dueAt: LATEST,
      extended: { reason: 'complexity', dueAt: LATEST },
    });
    expect(record(d, id)?.extension).toEqual({
      reason: 'complexity',
      dueAt: LATEST,
      at: '2026-03-02T10:00:00.000Z',
      by: 'staff-1',
      note: NOTE,
      noticeSentAt: '2026-03-02T10:00:00.000Z',
    });
    // Assess: one notice, to the subject, in Dutch: the dates, the reason, the complaint authority; never the note
    expect(d.mailer.sent).toHaveLength(1);
    const [mail] = d.mailer.sent as [Mail];
    expect(mail).toMatchObject({ to: 'an.devos@example.be', idempotencyKey: `${id}:extended` });
    expect(mail.subject).toBe('We hebben meer tijd nodig om uw verzoek tot verwijdering te beantwoorden');
    for (const phrase of [
      '2 maart 2026',
      '1 april 2026',
      '2 juni 2026',
      'Uw verzoek is complex',
      'artikel 12, lid 3',
    ])
      expect(mail.text).toContain(phrase);
    expect(mail.text).toContain('Gegevensbeschermingsautoriteit');
    expect(mail.text).not.toContain(NOTE);
    // Assess: audited by ground and dates only; the subject's view shows the ground and the new date
    const entries = d.audit.entries.filter((e) => e.requestId === id).map((e) => [e.action, e.details]);
    expect(entries.slice(-2)).toEqual([
      ['request.extended', { reason: 'complexity', firstDueAt: FIRST_DUE, dueAt: LATEST }],
      ['extension.notified', { reason: 'complexity' }],
    ]);
    const view = progressView(record(d, id) as NonNullable<ReturnType<typeof record>>, { forSubject: true });
    expect(view).toMatchObject({ dueAt: LATEST, extended: { reason: 'complexity', dueAt: LATEST } });
  });

  it.each([
    [
      'fr',
      "Nous avons besoin de plus de temps pour répondre à votre demande d'effacement",
      ['2 juin 2026', 'grand nombre de demandes', 'Autorité de protection des données'],
    ],
    [
      'en',
      'We need more time to answer your erasure request',
      ['2 June 2026', 'large number of requests', 'contact@apd-gba.be'],
    ],
  ] as const)(
    'writes the notice for the number of requests in the subject’s language, %s (P18)',
    async (lang, subject, phrases) => {
      // Prepare: a verified erasure filed in the language
      const { d, id } = await verified(lang);
      // Act: extend it for the number of requests
      await extendRequest(d, id, 'staff-1', { reason: 'number_of_requests', note: NOTE });
      // Assess: subject and body in that language, with the reason and the complaint authority
      const [mail] = d.mailer.sent as [Mail];
      expect(mail.subject).toBe(subject);
      for (const phrase of phrases) expect(mail.text).toContain(phrase);
    },
  );

  it('writes the notice in Dutch, French and English when no language is known (P18)', async () => {
    // Prepare: a form that named no language, and no system has reported one
    const { d, id } = await verified();
    // Act: extend it
    await extendRequest(d, id, 'staff-1', { reason: 'complexity', note: NOTE });
    // Assess: all three
    const [mail] = d.mailer.sent as [Mail];
    for (const phrase of ['Uw verzoek is complex', 'Votre demande est complexe', 'Your request is complex'])
      expect(mail.text).toContain(phrase);
  });

  it('takes an earlier day staff name, up to and including receipt + three months (P9)', async () => {
    // Prepare: two verified erasures
    const first = await verified('en');
    const second = await verified('en');
    // Act: extend one to 15 May, the other to the last allowed day
    const may = await extendRequest(first.d, first.id, 's', {
      reason: 'complexity',
      note: NOTE,
      dueDate: '2026-05-15',
    });
    const last = await extendRequest(second.d, second.id, 's', {
      reason: 'complexity',
      note: NOTE,
      dueDate: '2026-06-02',
    });
    // Assess: each ends at the end of that Brussels day
    expect(may.dueAt).toBe('2026-05-15T21:59:59.999Z');
    expect(last.dueAt).toBe(LATEST);
  });

  it.each([
    ['beyond receipt + three months', '2026-06-03'],
    ['on the first due date', '2026-04-01'],
    ['before the first due date', '2026-03-20'],
  ])('refuses a day %s with 422 and changes nothing (P9, Art. 12(3))', async (_why, dueDate) => {
    // Prepare: a verified erasure
    const { d, id } = await verified('en');
    // Act: extend it to that day
    const problem = await refused(extendRequest(d, id, 's', { reason: 'complexity', note: NOTE, dueDate }));
    // Assess: 422 naming the days allowed; no extension, no mail, no audit entry
    expect(problem).toMatchObject({
      type: 'extension-date-not-allowed',
      status: 422,
      extra: { earliest: '2026-04-02', latest: '2026-06-02' },
    });
    expect(record(d, id)?.extension).toBeUndefined();
    expect(d.mailer.sent).toEqual([]);
    expect(d.audit.entries.some((e) => e.action === 'request.extended')).toBe(false);
  });

  it('refuses a second extension with 409 already-extended, keeping the first (P9)', async () => {
    // Prepare: an extended request
    const { d, id } = await verified('en');
    await extendRequest(d, id, 's', { reason: 'complexity', note: NOTE, dueDate: '2026-05-15' });
    // Act: extend it again, for the other ground and a later day
    const problem = await refused(
      extendRequest(d, id, 's', { reason: 'number_of_requests', note: NOTE, dueDate: '2026-06-02' }),
    );
    // Assess: 409, the first extension unchanged, one notice only
    expect(problem).toMatchObject({ type: 'already-extended', status: 409 });
    expect(record(d, id)?.extension).toMatchObject({
      reason: 'complexity',
      dueAt: '2026-05-15T21:59:59.999Z',
    });
    expect(d.mailer.sent).toHaveLength(1);
  });

  it('allows the extension up to the last moment of the first period and refuses it after, with 409 (P9)', async () => {
    // Prepare: two verified erasures; the clock at the last millisecond of the first period
    const early = await verified('en');
    const late = await verified('en');
    early.d.setClock(FIRST_DUE);
    late.d.setClock(new Date(Date.parse(FIRST_DUE) + 1).toISOString());
    // Act: extend both
    const inTime = await extendRequest(early.d, early.id, 's', { reason: 'complexity', note: NOTE });
    const problem = await refused(extendRequest(late.d, late.id, 's', { reason: 'complexity', note: NOTE }));
    // Assess: the first is extended; the second is 409 extension-too-late, with nothing sent
    expect(inTime.dueAt).toBe(LATEST);
    expect(problem).toMatchObject({ type: 'extension-too-late', status: 409, extra: { dueAt: FIRST_DUE } });
    expect(late.d.mailer.sent).toEqual([]);
  });

  it('refuses a closed request (409 request-closed) and one not yet verified (409 not-extendable) (P8, P9)', async () => {
    // Prepare: a rejected request, and one never verified
    const { d, id } = await verified('en');
    await d.store.update(id, (r) => ({ ...r, status: 'rejected', closedAt: '2026-03-03T10:00:00.000Z' }));
    const unverified = await fileRequest(
      d,
      { type: 'access', email: 'luc@example.be', language: 'fr' },
      '10.0.0.2',
    );
    d.mailer.sent.length = 0;
    // Act: extend both
    const closed = await refused(extendRequest(d, id, 's', { reason: 'complexity', note: NOTE }));
    const early = await refused(extendRequest(d, unverified.id, 's', { reason: 'complexity', note: NOTE }));
    // Assess: 409 each, and nothing said to anyone
    expect(closed).toMatchObject({ type: 'request-closed', status: 409 });
    expect(early).toMatchObject({ type: 'not-extendable', status: 409 });
    expect(d.mailer.sent).toEqual([]);
  });

  it('finishes an extension whose notice failed when staff repeat it, without a second record (P9)', async () => {
    // Prepare: a verified erasure, and a mail service that fails once
    const { d, id } = await verified('en');
    failNextMail(d.mailer);
    // Act: extend (the notice fails), then repeat the same extension
    await expect(extendRequest(d, id, 's', { reason: 'complexity', note: NOTE })).rejects.toThrow(
      'unavailable',
    );
    const pending = record(d, id)?.extension;
    const repeat = await extendRequest(d, id, 's', { reason: 'complexity', note: NOTE });
    // Assess: recorded once without a notice, then the notice sent and recorded; one audit entry of the extension
    expect(pending).toMatchObject({ reason: 'complexity', dueAt: LATEST });
    expect(pending?.noticeSentAt).toBeUndefined();
    expect(repeat.dueAt).toBe(LATEST);
    expect(record(d, id)?.extension?.noticeSentAt).toBeDefined();
    expect(d.mailer.sent).toHaveLength(1);
    expect(d.audit.entries.filter((e) => e.action === 'request.extended')).toHaveLength(1);
  });

  it('lets the approval and identity waits run to the extended due date, not the first one (P9)', async () => {
    // Prepare: a verified erasure, two days before its first due date
    const { d, id } = await verified('en');
    const twoDaysBefore = (iso: string) => new Date(Date.parse(iso) - 2 * 86_400_000).toISOString();
    d.setClock(twoDaysBefore(FIRST_DUE));
    const unextended = await approvalWindow(d, id);
    // Act: extend it, and ask for the wait again; then again two days before the extended date
    await extendRequest(d, id, 's', { reason: 'complexity', note: NOTE });
    const extended = await approvalWindow(d, id);
    d.setClock(twoDaysBefore(LATEST));
    const nearEnd = await approvalWindow(d, id);
    // Assess: without the extension the wait ends by the first due date; with it, a full week, up to its own end
    expect(unextended.waitSeconds).toBeLessThanOrEqual(2 * 86_400);
    expect(extended.waitSeconds).toBe(MAX_WAIT_SECONDS);
    expect(nearEnd.waitSeconds).toBeLessThanOrEqual(2 * 86_400);
  });
});

describe('Extension body (P9)', () => {
  it.each([
    ['an unknown ground', { reason: 'backlog', note: NOTE }],
    ['no note', { reason: 'complexity' }],
    ['a note too short to say why', { reason: 'complexity', note: 'busy' }],
    ['a control character in the note', { reason: 'complexity', note: 'Three systems\u0007 to check' }],
    ['a day that is not a date', { reason: 'complexity', note: NOTE, dueDate: '2 June' }],
    ['a field of its own', { reason: 'complexity', note: NOTE, notify: false }],
  ])('refuses %s', (_why, body) => {
    // Act: parse the body
    const parsed = ExtendBody.safeParse(body);
    // Assess: refused (the API answers 400 invalid-request)
    expect(parsed.success).toBe(false);
  });

  it('accepts a ground and a note, with or without a day', () => {
    // Act: parse two bodies
    const plain = ExtendBody.safeParse({ reason: 'number_of_requests', note: NOTE });
    const dated = ExtendBody.safeParse({ reason: 'complexity', note: NOTE, dueDate: '2026-05-15' });
    // Assess: both accepted
    expect([plain.success, dated.success]).toEqual([true, true]);
  });
});
