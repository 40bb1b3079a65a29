import { describe, expect, it } from 'vitest';
import {
  accessMessage,
  formatDate,
  portabilityMessage,
  rejectionMessage,
  resultMessage,
  t,
  unsubscribePage,
  verificationMessage,
} from '../../../functions/core/messages/index.ts';
import { renderReport } from '../../../functions/core/report.ts';
import { type Language, LEFT_OUT_REASONS, RejectionReason } from '../../../functions/core/schemas.ts';
import { unescapeHtml } from '../../helpers/html.ts';
import { exportedRequest, NOW } from '../export/fixtures.ts';

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

  it.each([
    ['nl', '35 dagen', 'uiterlijk op 1 januari 2027'],
    ['fr', '35 jours', 'au plus tard le 1er janvier 2027'],
    ['en', '35 days', 'by 1 January 2027 at the latest'],
  ] as const)(
    'tells the subject of an erasure when the backups still holding the data age out, and no one else (P3) (%s)',
    (lang, days, until) => {
      // Prepare: one erased record; backups kept 35 days, so they age out on 1 January 2027.
      const systems = [
        { system: 'crm' as const, outcomes: [{ kind: 'erased' as const, records: 1, category: 'contact' }] },
      ];
      const backups = { until: '2027-01-01', days: 35 };

      // Act: the erasure answer, and a rectification answer given the same
      const erasure = resultMessage(lang, 'erasure', systems, { told: [], pending: [] }, backups);
      const rectification = resultMessage(lang, 'rectification', systems, { told: [], pending: [] }, backups);

      // Assess: the erasure names the period and the date; the rectification says nothing of backups
      expect(erasure.text).toContain(days);
      expect(erasure.text).toContain(until);
      expect(rectification.text).not.toContain(days);
    },
  );

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

/** Every outcome a result mail can report, with values as the connectors give them (no markup, no URLs). */
const ALL_OUTCOMES = [
  { kind: 'erased' as const, records: 2, category: 'contact' },
  { kind: 'skipped' as const, reason: 'nothing_to_object' },
  { kind: 'rectified' as const, records: 1, category: 'contact', fields: ['phone'] },
  { kind: 'withdrawn' as const, records: 1, category: 'preferences', purposes: ['newsletter'] },
  { kind: 'suppressed' as const, lists: ['newsletter'] },
  {
    kind: 'retained' as const,
    records: 3,
    category: 'contract',
    ground: 'fiscal_retention',
    until: '2036-03-01',
    kept: ['invoiceNumber', 'total'],
  },
];

/** Every mail a subject can get, in one language (undefined: the trilingual code and refusal mails). */
function everyMail(lang: Language) {
  const systems = [{ system: 'billing' as const, records: 2 }];
  return [
    verificationMessage(lang, 'erasure', '12345678'),
    verificationMessage(undefined, 'access', '12345678'),
    verificationMessage(lang, 'portability', '12345678', {
      organisation: 'Ander NV',
      email: 'dpo@ander.example',
    }),
    ...(['erasure', 'rectification', 'objection'] as const).map((type) =>
      resultMessage(
        lang,
        type,
        [{ system: 'crm', outcomes: ALL_OUTCOMES }],
        { told: ['Voorbeeld E-mailmarketing BV'], pending: ['Voorbeeld Facturatie NV'] },
        { until: '2026-03-01', days: 35 },
      ),
    ),
    resultMessage(lang, 'rectification', [{ system: 'crm', outcomes: ALL_OUTCOMES.slice(2, 3) }]),
    ...RejectionReason.options.map((reason) => rejectionMessage(lang, 'access', reason, 'Reden.')),
    rejectionMessage(undefined, 'access', 'verification_failed'),
    accessMessage(lang, {
      reportUrl: 'https://privacy.jsm.be/d/r',
      packageUrl: 'https://privacy.jsm.be/d/p',
      systems,
      expires: formatDate('2026-03-01', lang),
    }),
    portabilityMessage(lang, {
      packageUrl: 'https://privacy.jsm.be/d/p',
      systems,
      expires: formatDate('2026-03-01', lang),
      leftOut: LEFT_OUT_REASONS,
      sentTo: { organisation: 'Ander NV', email: 'dpo@ander.example', date: formatDate('2026-03-01', lang) },
    }),
  ];
}

// Punctuation is read in unescaped HTML (unescapeHtml): an entity's ';' is not French punctuation.

describe('Wording, read as a native speaker would (P10, P18, issue 7)', () => {
  it.each(LANGS)('renders every mail in %s: greeting, authority, contact, no ICU left over', (lang) => {
    // Prepare, Act
    const mails = everyMail(lang);

    // Assess
    for (const m of mails) {
      expect(m.text.startsWith(t(lang, 'mail.greeting')) || m.text.startsWith(t('nl', 'mail.greeting'))).toBe(
        true,
      );
      expect(m.text).toContain(t(lang, 'mail.contact'));
      expect(m.text).not.toMatch(/[{}]|undefined|NaN/);
      expect(m.html).toContain('<html lang=');
    }
    for (const m of mails.filter((x) => !x.subject.includes(t(lang, 'mail.codeSubject'))))
      expect(m.text).toContain(AUTHORITY[lang]);
  });

  it.each(LANGS)('greets a requester without calling them a customer (%s)', (lang) => {
    // Prepare: a parent asking for a child's erasure gets the same mails as anyone.
    // Act
    const mails = everyMail(lang);

    // Assess
    for (const m of mails) expect(m.text).not.toMatch(/beste klant|cher client|chère cliente|dear customer/i);
  });

  it('puts a no-break space before ":" and a narrow one before ";", "?" and "!" in every French mail (P18)', () => {
    // Prepare: every French mail, text and HTML, without its URLs and e-mail addresses.
    const parts = everyMail('fr')
      .filter((m) => !m.subject.includes(' / '))
      .flatMap((m) => [m.subject, m.text, unescapeHtml(m.html.replace(/<[^>]*>/g, ' '))])
      .map((s) => s.replace(/https?:\/\/\S+/g, 'URL'));

    // Act
    const bad = parts.flatMap((s) =>
      [...s.matchAll(/(.{0,20})(?<![\u00a0\u202f])([:;?!])/g)].map((m) => `${m[1]}${m[2]}`),
    );
    const wrongSpace = parts.flatMap((s) => [...s.matchAll(/\u00a0[;?!]|\u202f:/g)].map((m) => m[0]));

    // Assess: the HTML keeps them as characters (no &nbsp; entity needed)
    expect(bad).toEqual([]);
    expect(wrongSpace).toEqual([]);
    expect(parts.join('')).toContain('\u00a0:');
    expect(parts.join('')).toContain('\u202f;');
    expect(parts.join('')).toContain('\u202f?');
  });

  it('spaces French punctuation in the access report and the opt-out pages too (P1, P5, P18)', async () => {
    // Prepare: the French report of an access request, and the three opt-out pages.
    const { r, objects } = await exportedRequest('access', { language: 'fr' });
    const report = await renderReport({ objects, now: () => NOW }, r, 1);
    const pages = (['confirm', 'done', 'invalid'] as const).map((s) =>
      unsubscribePage('fr', s, 'newsletter'),
    );

    // Act: the words of each page, without markup or style
    const words = [report, ...pages].map((html) =>
      unescapeHtml(html.replace(/<style[\s\S]*?<\/style>/, '').replace(/<[^>]*>/g, '')),
    );

    // Assess: never a plain space before the four, nor a bare semicolon after the legal bases
    for (const w of words) expect(w).not.toMatch(/ [:;?!]|\);/);
    expect(words[0]).toContain('\u00a0: ');
    expect(words[0]).toContain('RGPD)\u202f; ');
    expect(words[0]).toContain('JSM SRL');
    expect(words[0]).not.toMatch(/\bJSM BV\b/);
  });

  it('writes the first of the month "1er" in French, and other days and languages as they are', () => {
    // Prepare
    const dates = ['2026-03-01', '2026-03-02', '2035-12-31T12:00:00Z'];

    // Act
    const fr = dates.map((d) => formatDate(d, 'fr'));
    const nl = formatDate('2026-03-01', 'nl');
    const en = formatDate('2026-03-01', 'en');
    const mail = resultMessage('fr', 'erasure', [{ system: 'billing', outcomes: ALL_OUTCOMES.slice(-1) }]);

    // Assess
    expect(fr).toEqual(['1er mars 2026', '2 mars 2026', '31 décembre 2035']);
    expect(nl).toBe('1 maart 2026');
    expect(en).toBe('1 March 2026');
    expect(mail.text).toContain("jusqu'au 1er mars 2036");
  });

  it.each([
    ['nl', 'vermeende inbreuk', 'artikel 77 AVG'],
    ['fr', 'violation alléguée', 'article 77 du RGPD'],
    ['en', 'alleged infringement', 'GDPR Article 77'],
  ] as const)(
    'names the complaint authority exactly, and an alleged infringement (Art. 77) (%s)',
    (lang, alleged, art) => {
      // Prepare, Act
      const complaint = t(lang, 'mail.complaint');

      // Assess
      expect(complaint).toContain(alleged);
      expect(complaint).toContain(art);
      expect(complaint).toContain(AUTHORITY[lang]);
      expect(complaint).toContain(lang === 'fr' ? 'Rue de la Presse 35' : 'Drukpersstraat 35');
      expect(complaint).toContain(
        lang === 'nl' ? '1000 Brussel' : lang === 'fr' ? '1000 Bruxelles' : '1000 Brussels',
      );
      expect(complaint).toContain('+32 2 274 48 00');
      expect(complaint).toContain('contact@apd-gba.be');
    },
  );

  it.each([
    ['nl', 'We hebben gevolg gegeven aan uw bezwaar.'],
    ['fr', 'Nous avons donné suite à votre opposition.'],
    ['en', 'We have acted on your objection.'],
  ] as const)('says it acted on an objection, not that it "carried it out" (P6) (%s)', (lang, sentence) => {
    // Prepare, Act
    const m = resultMessage(lang, 'objection', [{ system: 'marketing', outcomes: [ALL_OUTCOMES[4]!] }]);

    // Assess
    expect(m.text).toContain(sentence);
    expect(`${m.subject}.`).toBe(sentence);
  });

  it.each([
    ['nl', 'beperkt (art. 18 AVG)', /afgeschermd/],
    ['fr', 'Le traitement de ces données est limité (article 18 du RGPD)', /verrouill/],
    ['en', 'Processing of these records is restricted (GDPR Article 18)', /locked/],
  ] as const)(
    'calls data kept after an erasure restricted under Art. 18 (P3) (%s)',
    (lang, restricted, old) => {
      // Prepare, Act
      const m = resultMessage(lang, 'erasure', [{ system: 'billing', outcomes: ALL_OUTCOMES.slice(-1) }]);

      // Assess
      expect(m.text).toContain(restricted);
      expect(m.text).not.toMatch(old);
    },
  );

  it.each([
    ['nl', '2 uitgereikte facturen blijven ongewijzigd', 'creditnota', /beperkt|gewist|wissen|december/],
    ['fr', '2 factures émises restent inchangées', 'note de crédit', /limité|effac|décembre/],
    ['en', '2 issued invoices stay unchanged', 'credit note', /restricted|erase|December/],
  ] as const)(
    'keeps issued invoices unchanged after a rectification: not restricted, no purge promised (P2) (%s)',
    (lang, unchanged, creditNote, wrong) => {
      // Prepare: billing kept two issued invoices as issued.
      const issued = {
        kind: 'retained' as const,
        records: 2,
        category: 'contract',
        ground: 'issued_invoice',
        until: '2035-12-31',
        kept: ['name', 'address'],
      };

      // Act
      const m = resultMessage(lang, 'rectification', [{ system: 'billing', outcomes: [issued] }]);
      const line = m.text.split('\n').find((l) => l.includes(unchanged)) ?? '';

      // Assess
      expect(line).toContain(creditNote);
      expect(line).not.toMatch(wrong);
    },
  );
});
