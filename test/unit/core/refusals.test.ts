// Refusals give reasons (P10, Art. 12(4)–(5)): every reason code explains itself in nl, fr and en; `other` carries
// staff's own explanation, which the subject receives and the audit trail never holds; the refusal after five
// wrong codes speaks the form's language, or all three when the form named none (P18).
import { describe, expect, it } from 'vitest';
import { route } from '../../../functions/api/http.ts';
import { decide } from '../../../functions/core/decisions.ts';
import { fileRequest, MAX_ATTEMPTS, verifyRequest } from '../../../functions/core/intake.ts';
import { LANGUAGES, rejectionMessage, t } from '../../../functions/core/messages/index.ts';
import { tellSubject } from '../../../functions/core/progress.ts';
import {
  EXPLANATION_MAX,
  type Language,
  RejectBody,
  RejectionReason,
} from '../../../functions/core/schemas.ts';
import { fakeDeps } from '../../fixtures/fakes.ts';
import { apiEvent, lambdaContext } from '../../fixtures/lambda.ts';
import { refused } from '../../fixtures/problems.ts';

const AUTHORITY = {
  nl: 'Gegevensbeschermingsautoriteit',
  fr: 'Autorité de protection des données',
  en: 'Data Protection Authority',
};
const COURT = { nl: 'rechter', fr: 'tribunaux', en: 'court' };
const EXPLANATION =
  'Uw contract loopt via uw werkgever <Acme & Co>; richt uw verzoek tot hem als verwerkingsverantwoordelijke.';

const codeFrom = (text: string) => /(\d{8})/.exec(text)?.[1] ?? '';

async function awaitingApproval(language?: Language) {
  const d = fakeDeps();
  const { id } = await fileRequest(
    d,
    { type: 'erasure', email: 'an.devos@example.be', ...(language ? { language } : {}) },
    '10.0.0.1',
  );
  await verifyRequest(d, id, codeFrom(d.mailer.sent[0]?.text ?? ''));
  return { d, id };
}

async function fiveWrongCodes(language?: Language) {
  const d = fakeDeps();
  const { id } = await fileRequest(
    d,
    { type: 'access', email: 'someone@example.org', ...(language ? { language } : {}) },
    '10.0.0.1',
  );
  const code = codeFrom(d.mailer.sent[0]?.text ?? '');
  const wrong = code === '00000000' ? '11111111' : '00000000';
  for (let i = 0; i < 5; i++) await refused(verifyRequest(d, id, wrong));
  return { d, id, mail: d.mailer.sent.at(-1) };
}

const staffReasons = RejectionReason.options.filter((r) => r !== 'other');

describe('Refusals give reasons (P10, Art. 12(4)–(5))', () => {
  it.each(LANGUAGES.flatMap((lang) => staffReasons.map((reason) => [lang, reason] as const)))(
    'explains the reason code in the refusal, with authority and court (Art. 12(4)) (%s, %s)',
    (lang, reason) => {
      // Prepare: the explanation the catalog gives the code.
      const explanation = t(lang, `rejected.${reason}`);

      // Act
      const m = rejectionMessage(lang, 'erasure', reason);

      // Assess: a real explanation, not a bare label, then the complaint authority and the court.
      expect(explanation.length).toBeGreaterThan(120);
      expect(m.text).toContain(explanation);
      expect(m.text).toContain(AUTHORITY[lang]);
      expect(m.text).toContain('+32 2 274 48 00');
      expect(m.text).toContain(COURT[lang]);
      expect(m.text).toMatch(/79/);
      expect(m.html).toContain(`lang="${lang}"`);
    },
  );

  it('writes each explanation in its own words in nl, fr and en, and names Art. 12(5) for unfounded and excessive requests', () => {
    // Prepare
    const texts = LANGUAGES.map((lang) => staffReasons.map((reason) => t(lang, `rejected.${reason}`)));

    // Act: every pair of languages gives different texts for every reason
    const shared = staffReasons.filter((_, i) => new Set(texts.map((l) => l[i])).size < LANGUAGES.length);

    // Assess
    expect(shared).toEqual([]);
    for (const lang of LANGUAGES) {
      for (const reason of ['manifestly_unfounded', 'excessive'] as const)
        expect(t(lang, `rejected.${reason}`)).toMatch(/12(, lid |, paragraphe |\()5/);
    }
  });

  it.each(LANGUAGES)(
    'sends staff explanation of an `other` refusal as written, escaped in HTML (%s)',
    (lang) => {
      // Prepare: staff's own reason, with markup in it.
      // Act
      const m = rejectionMessage(lang, 'rectification', 'other', EXPLANATION);

      // Assess
      expect(m.text).toContain(t(lang, 'rejected.other'));
      expect(m.text).toContain(EXPLANATION);
      expect(m.html).toContain('&lt;Acme &amp; Co&gt;');
      expect(m.html).not.toContain('<Acme');
      expect(m.text).toContain(AUTHORITY[lang]);
      expect(m.text).toMatch(/79/);
    },
  );

  it('records staff explanation on the request and tells it to the subject, but keeps only the code in the audit trail (P15)', async () => {
    // Prepare: a verified French erasure awaiting approval.
    const { d, id } = await awaitingApproval('fr');

    // Act: an approver refuses it for another reason, then the workflow tells the subject.
    await decide(d, id, 'staff-7', { approved: false, reason: 'other', explanation: EXPLANATION });
    await tellSubject(d, id);

    // Assess
    const r = d.store.items.get(id);
    expect(r?.rejection).toMatchObject({ reason: 'other', explanation: EXPLANATION });
    const mail = d.mailer.sent.at(-1);
    expect(mail?.subject).toBe(t('fr', 'mail.rejectedSubject', { type: t('fr', 'type.erasure') }));
    expect(mail?.text).toContain(EXPLANATION);
    const rejected = d.audit.entries.find((e) => e.action === 'request.rejected');
    expect(rejected?.details).toEqual({ reason: 'other' });
    expect(JSON.stringify(d.audit.entries)).not.toContain('Acme');
    expect(JSON.stringify(d.workflow.resumed)).not.toContain('Acme');
  });

  it('tells a staff refusal in all three languages when neither the form nor any system named one (P18)', async () => {
    // Prepare: a request whose form named no language, and no system found a language on file.
    const { d, id } = await awaitingApproval();

    // Act
    await decide(d, id, 'staff-7', { approved: false, reason: 'excessive' });
    await tellSubject(d, id);

    // Assess
    const mail = d.mailer.sent.at(-1);
    for (const lang of LANGUAGES) expect(mail?.text).toContain(t(lang, 'rejected.excessive'));
    expect(mail?.html.match(/<section lang="(nl|fr|en)">/g)).toHaveLength(3);
  });

  it('says how many wrong codes closed the request: as many as intake allows (P8)', () => {
    // Prepare, Act
    const texts = LANGUAGES.map((l) => t(l, 'rejected.verification_failed'));

    // Assess
    expect(MAX_ATTEMPTS).toBe(5);
    expect(texts.map((x, i) => x.includes(['vijf keer', 'cinq fois', 'five times'][i] ?? '-'))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it.each(LANGUAGES)(
    'refuses after five wrong codes in the language of the form only (P8, P18) (%s)',
    async (lang) => {
      // Prepare, Act
      const { mail } = await fiveWrongCodes(lang);

      // Assess
      const others = LANGUAGES.filter((l) => l !== lang);
      expect(mail?.subject).toBe(t(lang, 'mail.rejectedSubject', { type: t(lang, 'type.access') }));
      expect(mail?.text).toContain(t(lang, 'rejected.verification_failed'));
      for (const other of others) expect(mail?.text).not.toContain(t(other, 'rejected.verification_failed'));
      expect(mail?.text).toContain(AUTHORITY[lang]);
      expect(mail?.text).toContain(COURT[lang]);
    },
  );

  it('refuses after five wrong codes in nl, fr and en when the form named no language (P8, P18)', async () => {
    // Prepare, Act
    const { mail } = await fiveWrongCodes();

    // Assess: one mail, three sections, each with its explanation, authority and court.
    expect(mail?.subject.split(' / ')).toHaveLength(3);
    for (const lang of LANGUAGES) {
      expect(mail?.text).toContain(t(lang, 'rejected.verification_failed'));
      expect(mail?.text).toContain(AUTHORITY[lang]);
      expect(mail?.text).toContain(COURT[lang]);
    }
    expect(mail?.html.match(/<html/g)).toHaveLength(1);
    expect(mail?.html.match(/<section lang="(nl|fr|en)">/g)).toHaveLength(3);
  });
});

describe('Refusals: the reject body (P10, Art. 12(4))', () => {
  const echo = route({ id: 'Reject', body: RejectBody }, async ({ body }) => ({ status: 200, body }));
  const post = async (body: unknown) => {
    const res = await echo(apiEvent({ body: JSON.stringify(body) }), lambdaContext());
    return { status: res.statusCode, text: res.body, json: JSON.parse(res.body) };
  };

  it('accepts every reason code without an explanation, and `other` with one', async () => {
    // Prepare
    const bodies = [
      ...staffReasons.map((reason) => ({ reason })),
      { reason: 'other', explanation: '  Uw contract loopt via uw werkgever.  ' },
    ];

    // Act
    const answers = await Promise.all(bodies.map(post));

    // Assess
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));
    expect(answers.at(-1)?.json).toEqual({
      reason: 'other',
      explanation: 'Uw contract loopt via uw werkgever.',
    });
  });

  it.each([
    ['`other` without an explanation', { reason: 'other' }],
    ['`other` with a blank explanation', { reason: 'other', explanation: '    ' }],
    ['`other` with a too short explanation', { reason: 'other', explanation: 'nee' }],
    [
      '`other` with a too long explanation',
      { reason: 'other', explanation: 'x'.repeat(EXPLANATION_MAX + 1) },
    ],
    [
      '`other` with control characters',
      { reason: 'other', explanation: 'Uw verzoek \u0007 is onduidelijk.' },
    ],
    ['an explanation with another code', { reason: 'excessive', explanation: 'U vroeg dit vorige week al.' }],
  ])('answers 400 to %s, without echoing the text', async (_name, body) => {
    // Act
    const res = await post(body);

    // Assess
    expect(res.status).toBe(400);
    expect(res.json.type).toBe('https://privacy.jsm.be/problems/invalid-request');
    expect(res.text).not.toContain('vorige week');
    expect(res.text).not.toContain('xxxxxxxxxx');
  });
});
