import { describe, expect, it } from 'vitest';
import {
  rejectionMessage,
  resultMessage,
  verificationMessage,
} from '../../../functions/core/messages/index.ts';
import type { Language } from '../../../functions/core/schemas.ts';

const LANGS: Language[] = ['nl', 'fr', 'en'];
const AUTHORITY = {
  nl: 'Gegevensbeschermingsautoriteit',
  fr: 'Autorité de protection des données',
  en: 'Data Protection Authority',
};

describe('Messages (P10, P18)', () => {
  it.each(LANGS)(
    'names the complaint authority with its address and contact in every outcome (%s)',
    (lang) => {
      // Prepare: one system erased one contact record.
      const systems = [
        { system: 'crm' as const, outcomes: [{ kind: 'erased' as const, records: 1, category: 'contact' }] },
      ];

      // Act
      const m = resultMessage(lang, 'erasure', systems);

      // Assess
      expect(m.text).toContain(AUTHORITY[lang]);
      expect(m.text).toContain('+32 2 274 48 00');
      expect(m.text).toContain('contact@apd-gba.be');
      expect(m.text).toContain('info@jsm.be');
      expect(m.html).toContain(`lang="${lang}"`);
    },
  );

  it.each(LANGS)('names the right to go to court in a refusal (%s)', (lang) => {
    // Prepare: a request refused as manifestly unfounded.
    const reason = 'manifestly_unfounded';

    // Act
    const m = rejectionMessage(lang, 'erasure', reason);

    // Assess
    expect(m.text).toMatch(/79/);
    expect(m.text).toContain(AUTHORITY[lang]);
  });

  it("writes the code mail in the subject's language", () => {
    // Prepare: an erasure request and its code.
    const code = '12345678';

    // Act
    const [nl, fr, en] = LANGS.map((lang) => verificationMessage(lang, 'erasure', code));

    // Assess
    expect(nl?.text).toContain('verwijdering');
    expect(fr?.text).toContain("d'effacement");
    expect(en?.text).toContain('erasure');
  });

  it('escapes HTML', () => {
    // Prepare: a skip reason that is markup.
    const outcomes = [{ kind: 'skipped' as const, reason: '<script>' }];

    // Act
    const m = resultMessage('en', 'erasure', [{ system: 'crm', outcomes }]);

    // Assess
    expect(m.html).not.toContain('<script>');
  });

  it('tells what a rectification changed, and that issued invoices are not rewritten (P2)', () => {
    // Prepare: the CRM changed two fields, billing kept three issued invoices.
    // Act
    const m = resultMessage('nl', 'rectification', [
      {
        system: 'crm',
        outcomes: [{ kind: 'rectified', records: 1, category: 'contact', fields: ['phone', 'lastName'] }],
      },
      {
        system: 'billing',
        outcomes: [
          {
            kind: 'retained',
            records: 3,
            category: 'contract',
            ground: 'issued_invoice',
            until: '2035-12-31',
            kept: ['name'],
          },
        ],
      },
    ]);

    // Assess
    expect(m.subject).toBe('Uw verzoek tot correctie is uitgevoerd');
    expect(m.text).toContain('aangepast: telefoonnummer, achternaam');
    expect(m.text).toContain('creditnota');
  });

  it('tells what an objection stopped and that a later import will not add the subject again (P6)', () => {
    // Prepare: marketing suppressed two lists, the CRM withdrew a consent.
    // Act
    const m = resultMessage('fr', 'objection', [
      { system: 'marketing', outcomes: [{ kind: 'suppressed', lists: ['newsletter', 'direct_mailing'] }] },
      {
        system: 'crm',
        outcomes: [{ kind: 'withdrawn', records: 2, category: 'preferences', purposes: ['newsletter'] }],
      },
    ]);

    // Assess
    expect(m.text).toContain("lettre d'information, publipostage");
    expect(m.text).toContain('consentement retiré');
    expect(m.text).toContain('Autorité de protection des données');
  });

  it.each([
    ['nl', 'vingerafdruk (hash met geheime sleutel)', 'niet het adres zelf', 'artikel 17 AVG', 'nieuwsbrief'],
    [
      'fr',
      'empreinte (hachage à clé secrète)',
      "non l'adresse elle-même",
      'article 17 du RGPD',
      "lettre d'information",
    ],
    ['en', 'fingerprint (a keyed hash)', 'not the address itself', 'GDPR Article 17', 'newsletter'],
  ] as const)(
    'tells an erased subject that only a keyed hash is kept on the suppression list, why and for how long (P3, Art. 17) (%s)',
    (lang, hash, noAddress, article, list) => {
      // Prepare: marketing erased her entries and suppressed her keyed hash on both lists.
      const systems = [
        {
          system: 'marketing' as const,
          outcomes: [
            { kind: 'erased' as const, records: 2, category: 'marketing' },
            { kind: 'suppressed' as const, lists: ['direct_mailing', 'newsletter'] },
          ],
        },
      ];

      // Act
      const m = resultMessage(lang, 'erasure', systems);
      const objection = resultMessage(lang, 'objection', systems);

      // Assess: what is kept (a hash, no address), on which ground, until when; an objection keeps its own line
      for (const text of [hash, noAddress, article, list]) expect(m.text).toContain(text);
      expect(m.html).toContain(article);
      expect(objection.text).not.toContain(article);
    },
  );

  it('sends the code in all three languages when the form named none (P18)', () => {
    // Prepare: a form that named no language.
    const lang = undefined;

    // Act
    const m = verificationMessage(lang, 'access', '12345678');

    // Assess
    expect(m.text).toContain('inzage');
    expect(m.text).toContain("d'accès");
    expect(m.text).toContain('access');
    expect(m.html.match(/<html/g)).toHaveLength(1);
  });

  it.each([
    ['nl', '1 gegeven bewaard', '3 gegevens bewaard'],
    ['fr', '1 donnée conservée', '3 données conservées'],
    ['en', '1 record kept', '3 records kept'],
  ] as const)(
    'counts what was kept with the plural rules of the language, not "(s)" (P3, P18) (%s)',
    (lang, one, many) => {
      // Prepare: billing kept one invoice under one ground and three records under another.
      const kept = (records: number, ground: string) => ({
        kind: 'retained' as const,
        records,
        category: 'contract',
        ground,
        until: '2035-12-31',
        kept: ['invoiceNumber'],
      });

      // Act
      const m = resultMessage(lang, 'erasure', [
        { system: 'billing', outcomes: [kept(1, 'fiscal_retention'), kept(3, 'open_claim')] },
      ]);

      // Assess
      expect(m.text).toContain(one);
      expect(m.text).toContain(many);
      expect(m.text).not.toMatch(/\((s|en)\)/);
    },
  );
});
