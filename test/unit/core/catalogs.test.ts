// The catalogs (P18): every language has every key, with the same ICU arguments of the same kind; every key a
// template names exists; every code the domain knows has a label in every language.
import { describe, expect, it } from 'vitest';
import { RECTIFIABLE_FIELDS } from '../../../functions/core/connector.ts';
import {
  alwaysEnglish,
  CATALOGS,
  compile,
  LANGUAGES,
  type LabelSection,
  LOCALES,
  type MessageKey,
} from '../../../functions/core/messages/catalog.ts';
import { knownLabel, t } from '../../../functions/core/messages/index.ts';
import { templateNames, templateSource } from '../../../functions/core/messages/render.ts';
import { RETENTION_GROUNDS } from '../../../functions/core/retention.ts';
import {
  CATEGORIES,
  type Language,
  REQUEST_TYPES,
  RejectionReason,
  SYSTEMS,
} from '../../../functions/core/schemas.ts';
import { MARKETING_LISTS } from '../../../functions/core/suppression.ts';
import { argumentsOf } from './icu-arguments.ts';

const keysOf = (lang: Language) => Object.keys(CATALOGS[lang]).sort();

describe('Catalogs: every language says everything (P18)', () => {
  it.each(LANGUAGES.filter((l) => l !== 'nl'))('has exactly the Dutch keys in %s', (lang) => {
    // Prepare: the Dutch catalog is the reference.
    const reference = keysOf('nl');

    // Act
    const keys = keysOf(lang);

    // Assess
    expect(
      keys.filter((k) => !reference.includes(k)),
      'keys only in this language',
    ).toEqual([]);
    expect(
      reference.filter((k) => !keys.includes(k)),
      'keys missing in this language',
    ).toEqual([]);
  });

  it('gives every key the same ICU arguments, of the same kind, in nl, fr and en', () => {
    // Prepare
    const keys = keysOf('nl') as MessageKey[];

    // Act
    const differing = keys.flatMap((key) => {
      const [nl, ...others] = LANGUAGES.map((l) => argumentsOf(CATALOGS[l][key], LOCALES[l]).join(' '));
      return others.some((o) => o !== nl) ? [key] : [];
    });

    // Assess
    expect(keys.length).toBeGreaterThan(200);
    expect(differing).toEqual([]);
  });

  it('uses a plural rule, not "(s)" or "(en)", wherever a message counts (P18)', () => {
    // Prepare: the counted messages of the issue ("gegeven(s)", "record(s)", "mention(s)").
    const counted: MessageKey[] = ['mail.retained', 'exportMail.systemCount', 'report.redacted'];

    // Act
    const plural = counted.map((key) => LANGUAGES.every((l) => /, plural,/.test(CATALOGS[l][key])));
    const hedged = LANGUAGES.flatMap((l) =>
      Object.entries(CATALOGS[l]).filter(([, v]) => /\w\((s|en)\)/.test(v)),
    );

    // Assess
    expect(plural).toEqual(counted.map(() => true));
    expect(hedged).toEqual([]);
  });

  it('writes no "(s)", "(e)" or "(en)" anywhere, in any catalog value (P18)', () => {
    // Prepare: every value of every catalog, the always-English one included.
    const all = [
      ...LANGUAGES.flatMap((l) => Object.entries(CATALOGS[l]).map(([k, v]) => [`${l} ${k}`, v] as const)),
      ...Object.entries(alwaysEnglish()).map(([k, v]) => [`always-en ${k}`, v] as const),
    ];

    // Act
    const hedged = all.filter(([, v]) => /\((s|e|en|es|n)\)/i.test(v)).map(([k]) => k);

    // Assess
    expect(all.length).toBeGreaterThan(700);
    expect(hedged).toEqual([]);
  });

  it('puts a no-break space before ":" and a narrow one before ";", "?" and "!" in every French value (P18)', () => {
    // Prepare
    const entries = Object.entries(CATALOGS.fr);

    // Act: any of the four not preceded by U+00A0 (":") or U+202F (";", "?", "!")
    const bad = entries.filter(([, v]) => /(?<!\u00a0):|(?<!\u202f)[;?!]/.test(v)).map(([k]) => k);
    const spaced = entries.filter(([, v]) => /[\u00a0\u202f][:;?!]/.test(v));

    // Assess
    expect(bad).toEqual([]);
    expect(spaced.length).toBeGreaterThan(30);
  });

  it('greets every requester neutrally: a prospect, an applicant or a parent is not a customer (P18)', () => {
    // Prepare
    const greetings = LANGUAGES.map((l) => t(l, 'mail.greeting'));

    // Act
    const customerly = greetings.filter((g) => /klant|client|customer|madame|monsieur|heer|mevrouw/i.test(g));

    // Assess
    expect(greetings).toEqual(['Goedendag,', 'Bonjour,', 'Hello,']);
    expect(customerly).toEqual([]);
  });

  it('names the company by its legal form in each language: JSM BV, in French JSM SRL', () => {
    // Prepare, Act
    const names = LANGUAGES.map((l) => t(l, 'company.name'));
    const contacts = LANGUAGES.map((l) => t(l, 'mail.contact'));
    const bvInFrench = Object.entries(CATALOGS.fr).filter(([, v]) => /\bBV\b/.test(v));

    // Assess
    expect(names).toEqual(['JSM BV', 'JSM SRL', 'JSM BV']);
    expect(contacts.map((c, i) => c.includes(names[i] ?? '-'))).toEqual([true, true, true]);
    expect(bvInFrench).toEqual([]);
  });

  it('spells the VAT Code one way, and restricted data the way the law does (Art. 18), in every language', () => {
    // Prepare
    const values = (l: Language) => Object.values(CATALOGS[l]).join('\n');

    // Act
    const nl = values('nl');
    const fr = values('fr');

    // Assess
    expect(nl.match(/btw-?wetboek/gi)).toEqual(['Btw-Wetboek']);
    expect(nl).not.toMatch(/afgeschermd/i);
    expect(nl).toContain('beperkt (art. 18 AVG)');
    expect(fr).not.toMatch(/verrouill/i);
    expect(fr).toContain('dont le traitement est limité');
    expect(values('en')).toContain('restricted (GDPR Art. 18)');
  });

  it('says that processing before a withdrawal of consent stays lawful (Art. 7(3))', () => {
    // Prepare, Act
    const sentences = LANGUAGES.map((l) => t(l, 'report.right.withdrawal'));

    // Assess
    expect(sentences[0]).toContain('de verwerking vóór de intrekking blijft rechtmatig');
    expect(sentences[1]).toContain('le traitement effectué avant le retrait reste licite');
    expect(sentences[2]).toContain('processing carried out before the withdrawal remains lawful');
  });

  it('parses every message, in the subject catalogs and the always-English one', () => {
    // Prepare
    const all = [
      ...LANGUAGES.flatMap((l) => Object.entries(CATALOGS[l]).map(([k, v]) => [LOCALES[l], k, v] as const)),
      ...Object.entries(alwaysEnglish()).map(([k, v]) => [LOCALES.en, k, v] as const),
    ];

    // Act
    const broken = all.filter(([locale, , source]) => {
      try {
        compile(source, locale);
        return false;
      } catch {
        return true;
      }
    });

    // Assess
    expect(broken.map(([locale, key]) => `${locale} ${key}`)).toEqual([]);
  });

  it('has every key a template asks for', () => {
    // Prepare: the literal keys in `it.t('…')` calls of every template.
    const asked = templateNames().flatMap((name) =>
      [...templateSource(name).matchAll(/it\.t\('([^']+)'/g)].map((m) => m[1] ?? ''),
    );

    // Act
    const missing = asked.filter((key) => !(key in CATALOGS.nl));

    // Assess
    expect(asked.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it('labels every system, category, request type, refusal reason, legal ground, list and rectifiable field (P16, P18)', () => {
    // Prepare: the codes the domain knows, by catalog section.
    const codes: [LabelSection, readonly string[]][] = [
      ['system', SYSTEMS],
      ['category', CATEGORIES],
      ['type', REQUEST_TYPES],
      ['rejected', RejectionReason.options],
      ['ground', RETENTION_GROUNDS],
      ['purpose', MARKETING_LISTS],
      ['unsubscribe.list', MARKETING_LISTS],
      ['field', RECTIFIABLE_FIELDS],
    ];

    // Act
    const unlabelled = LANGUAGES.flatMap((lang) =>
      codes.flatMap(([section, list]) =>
        list
          .filter((code) => knownLabel(section, code, lang) === undefined)
          .map((c) => `${lang} ${section}.${c}`),
      ),
    );

    // Assess
    expect(unlabelled).toEqual([]);
  });

  it('formats counts with the plural of each language (P18)', () => {
    // Prepare
    const counts = [1, 3];

    // Act
    const lines = LANGUAGES.map((lang) =>
      counts.map((count) => t(lang, 'exportMail.systemCount', { system: 'X', count })),
    );

    // Assess
    expect(lines).toEqual([
      ['X: 1 gegeven', 'X: 3 gegevens'],
      ['X\u00a0: 1 donnée', 'X\u00a0: 3 données'],
      ['X: 1 record', 'X: 3 records'],
    ]);
  });
});
