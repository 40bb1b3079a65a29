// The catalogs (P18): every language has every key, with the same ICU arguments of the same kind; every key a
// template names exists; every code the domain knows has a label in every language.
import { describe, expect, it } from 'vitest';
import { RECTIFIABLE_FIELDS } from '../../../functions/core/connector.ts';
import {
  ALWAYS_EN,
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

  it('parses every message, in the subject catalogs and the always-English one', () => {
    // Prepare
    const all = [
      ...LANGUAGES.flatMap((l) => Object.entries(CATALOGS[l]).map(([k, v]) => [LOCALES[l], k, v] as const)),
      ...Object.entries(ALWAYS_EN).map(([k, v]) => [LOCALES.en, k, v] as const),
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
