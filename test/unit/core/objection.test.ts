// Objection semantics (P6): what staff may and may not refuse, and what the subject is told.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../functions/core/decisions.ts';
import { fileRequest, verifyRequest } from '../../../functions/core/intake.ts';
import { rejectionMessage, resultMessage } from '../../../functions/core/messages/index.ts';
import { tellSubject } from '../../../functions/core/progress.ts';
import { fieldLabel, show } from '../../../functions/core/report-cells.ts';
import { CreateRequestBody } from '../../../functions/core/request-body.ts';
import type { Language } from '../../../functions/core/schemas.ts';
import { fakeDeps } from '../../fixtures/fakes.ts';
import { refused } from '../../fixtures/problems.ts';

const LANGS: Language[] = ['nl', 'fr', 'en'];

async function verified(body: Parameters<typeof fileRequest>[1]) {
  const d = fakeDeps();
  const { id } = await fileRequest(d, body, '10.0.0.1');
  await verifyRequest(d, id, /(\d{8})/.exec(d.mailer.sent.at(-1)!.text)![1]!);
  return { d, id };
}

const objection = (
  scope: ('direct_marketing' | 'profiling' | 'legitimate_interest')[],
  language: Language = 'nl',
) => verified({ type: 'objection', email: 'an.devos@example.be', language, scope });

describe('Objection: what staff may refuse (P6)', () => {
  it.each([
    ['an objection to direct marketing (Art. 21(3))', ['direct_marketing'] as const],
    ['a withdrawal of the profiling consent (Art. 7(3))', ['profiling'] as const],
  ])('refuses to reject %s with a 409 and changes nothing (P6)', async (_, scope) => {
    // Prepare: a verified objection, carried out without approval
    const { d, id } = await objection([...scope]);
    const before = structuredClone(d.store.items.get(id));
    const entries = d.audit.entries.length;
    // Act: staff try to reject it
    const answer = await refused(
      decide(d, id, 'staff-1', { approved: false, reason: 'manifestly_unfounded' }),
    );
    // Assess: a clear 409; the request, the audit trail and the workflow untouched
    expect(answer).toMatchObject({ status: 409, type: 'not-refusable' });
    expect(answer.detail).toContain('7(3)');
    expect(d.store.items.get(id)).toEqual(before);
    expect(d.audit.entries.length).toBe(entries);
    expect(d.workflow.resumed).toEqual([]);
  });

  it.each(['manifestly_unfounded', 'excessive', 'other'] as const)(
    'refuses to reject an objection on legitimate interest for %s: only compelling legitimate grounds may (P6, Art. 21(1))',
    async (reason) => {
      // Prepare: a verified Art. 21(1) objection awaiting approval
      const { d, id } = await objection(['legitimate_interest']);
      expect(d.store.items.get(id)?.status).toBe('awaiting_approval');
      const before = structuredClone(d.store.items.get(id));
      // Act
      const decision =
        reason === 'other'
          ? { approved: false as const, reason, explanation: 'Staff explain the refusal here.' }
          : { approved: false as const, reason };
      const answer = await refused(decide(d, id, 'staff-1', decision));
      // Assess: a 4xx naming the one reason allowed; nothing changed
      expect(answer).toMatchObject({
        status: 422,
        type: 'rejection-reason-not-allowed',
        extra: { allowed: ['compelling_legitimate_grounds'] },
      });
      expect(d.store.items.get(id)).toEqual(before);
    },
  );

  it('refuses compelling legitimate grounds as the reason to reject any other request (P6, Art. 21(1))', async () => {
    // Prepare: a verified erasure awaiting approval
    const { d, id } = await verified({ type: 'erasure', email: 'an.devos@example.be', language: 'nl' });
    const before = structuredClone(d.store.items.get(id));
    // Act
    const answer = await refused(
      decide(d, id, 'staff-1', { approved: false, reason: 'compelling_legitimate_grounds' }),
    );
    // Assess
    expect(answer).toMatchObject({ status: 422, type: 'rejection-reason-not-allowed' });
    expect(answer.detail).toContain('21(1)');
    expect(answer.extra?.allowed).toContain('manifestly_unfounded');
    expect(answer.extra?.allowed).not.toContain('compelling_legitimate_grounds');
    expect(d.store.items.get(id)).toEqual(before);
  });

  it.each(LANGS)(
    'rejects an objection on legitimate interest for compelling legitimate grounds and tells the subject why, with the right to complain and to go to court (P6, P10, Art. 21(1), %s)',
    async (lang) => {
      // Prepare: a verified Art. 21(1) objection in this language
      const { d, id } = await objection(['legitimate_interest'], lang);
      // Act: staff weigh it and refuse it; the workflow tells the subject
      await decide(d, id, 'staff-1', { approved: false, reason: 'compelling_legitimate_grounds' });
      await tellSubject(d, id);
      // Assess: rejected with the reason; the mail in her language names Art. 21(1), the authority and the court
      expect(d.store.items.get(id)).toMatchObject({
        status: 'rejected',
        rejection: { reason: 'compelling_legitimate_grounds' },
      });
      const mail = d.mailer.sent.at(-1)!;
      expect(mail.to).toBe('an.devos@example.be');
      expect(mail.text).toContain(rejectionMessage(lang, 'objection', 'compelling_legitimate_grounds').text);
      expect(mail.text).toMatch(/21/);
      expect(mail.text).toMatch(/79/);
      expect(mail.text).toContain('contact@apd-gba.be');
    },
  );

  it('refuses an objection on legitimate interest filed together with direct marketing: the absolute one must not wait (P6, Art. 21(3))', () => {
    // Prepare: a form mixing the weighed and the absolute objection
    const body = {
      type: 'objection',
      email: 'an.devos@example.be',
      scope: ['legitimate_interest', 'direct_marketing'],
    };
    // Act
    const parsed = CreateRequestBody.safeParse(body);
    // Assess: a 400 at the route (the body does not parse); alone each is accepted
    expect(parsed.success).toBe(false);
    expect(CreateRequestBody.safeParse({ ...body, scope: ['legitimate_interest'] }).success).toBe(true);
    expect(CreateRequestBody.safeParse({ ...body, scope: 'direct_marketing' }).success).toBe(true);
  });
});

describe('Objection: what the subject is told (P6, P18)', () => {
  const TEXTS = {
    nl: [
      'dwingende gerechtvaardigde gronden',
      'artikel 21, lid 1, AVG',
      'niet meer verwerkt voor: correcte toegang',
    ],
    fr: [
      'motifs légitimes et impérieux',
      'article 21, paragraphe 1, du RGPD',
      'ne sont plus traitées pour\u00a0: l’accès',
    ],
    en: ['compelling legitimate grounds', 'GDPR Article 21(1)', 'no longer processed for: proper access'],
  } as const;

  it.each(LANGS)(
    'names the compelling legitimate grounds of Art. 21(1) in a refusal (P6, P10, %s)',
    (lang) => {
      // Prepare: an Art. 21(1) objection refused for compelling grounds
      // Act
      const m = rejectionMessage(lang, 'objection', 'compelling_legitimate_grounds');
      // Assess
      expect(m.text).toContain(TEXTS[lang][0]);
      expect(m.text).toContain(TEXTS[lang][1]);
      expect(m.text).toMatch(/79/);
    },
  );

  const SINGULAR = {
    nl: '1 gegeven (klantendienstgegevens) wordt niet meer verwerkt voor: antwoorden op uw vragen. We bewaren het',
    fr: '1 donnée (données du service clientèle) n’est plus traitée pour\u00a0: répondre à vos questions. Nous ne la conservons',
    en: '1 record (support data) is no longer processed for: answering your questions. We keep it only',
  } as const;

  it.each(LANGS)('tells which processing on legitimate interest stopped (P6, Art. 21(1), %s)', (lang) => {
    // Prepare: the CRM flagged her account, support her tickets and notes
    // Act
    const m = resultMessage(lang, 'objection', [
      {
        system: 'crm',
        outcomes: [{ kind: 'objected', records: 2, category: 'contract', purposes: ['service_access'] }],
      },
      {
        system: 'support',
        outcomes: [{ kind: 'objected', records: 1, category: 'support', purposes: ['enquiries'] }],
      },
    ]);
    // Assess: both systems and purposes named, singular and plural, no raw code
    expect(m.text.replaceAll("'", '’')).toContain(TEXTS[lang][2]);
    expect(m.text.replaceAll("'", '’')).toContain(SINGULAR[lang]);
    expect(m.text).not.toContain('service_access');
    expect(m.text).not.toContain('enquiries');
    expect(m.text).not.toMatch(/\{|\}/);
  });
});

describe('Objection: what the access report shows afterwards (P1, P6)', () => {
  const WORDS = {
    nl: ['bezwaar: niet meer verwerkt voor', 'antwoorden op uw vragen'],
    fr: ['opposition\u00a0: plus traité pour', 'répondre à vos questions'],
    en: ['objection: no longer processed for', 'answering your questions'],
  } as const;

  it.each(LANGS)(
    'names the objection on a record and the purposes it ended in words (P6, Art. 21(1), %s)',
    (lang) => {
      // Prepare: a support ticket flagged after an Art. 21(1) objection
      // Act
      const heading = fieldLabel('objectedPurposes', lang);
      const value = show('objectedPurposes', ['enquiries'], lang);
      // Assess
      expect(heading).toBe(WORDS[lang][0]);
      expect(value).toBe(WORDS[lang][1]);
      expect(fieldLabel('objectedAt', lang)).not.toBe('objected at');
    },
  );
});
