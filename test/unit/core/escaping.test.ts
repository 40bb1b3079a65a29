// No value reaches HTML unescaped (P10, P18): every catalog message in nl, fr and en and every template file is
// rendered with every value set to markup, and the markup shows up escaped, never raw.
import { describe, expect, it } from 'vitest';
import {
  alwaysEnglish,
  CATALOGS,
  type EnglishKey,
  LANGUAGES,
  LOCALES,
  type MessageKey,
} from '../../../functions/core/messages/catalog.ts';
import { type MailView, mailHtml } from '../../../functions/core/messages/compose.ts';
import {
  accessMessage,
  compose,
  english,
  letterHtml,
  mail,
  portabilityMessage,
  recipientMessage,
  rejectionMessage,
  resultMessage,
  staffMessage,
  t,
  unsubscribePage,
  verificationMessage,
} from '../../../functions/core/messages/index.ts';
import { render, templateNames, templateSource } from '../../../functions/core/messages/render.ts';
import { renderReport, renderReportView, reportView } from '../../../functions/core/report.ts';
import { LEFT_OUT_REASONS, REQUEST_TYPES, RejectionReason } from '../../../functions/core/schemas.ts';
import { an, exportedRequest, HISTORY, NOW } from '../export/fixtures.ts';
import { argumentsOf } from './icu-arguments.ts';

const BAD = `<script>'"&`;
const ESCAPED = '&lt;script&gt;&#39;&quot;&amp;';

/** The value markup stands in for: numbers where the message counts, the markup everywhere else. */
function poisonedValues(source: string, locale: string): Record<string, string | number> {
  return Object.fromEntries(
    argumentsOf(source, locale).map((arg) => {
      const [name = '', kind] = arg.split(':');
      return [name, kind === 'plural' || kind === 'number' ? 3 : BAD];
    }),
  );
}

/** Every string in a view, with the markup put in front; `status` keeps choosing its branch, `lang` its words. */
function poison<T>(value: T): T {
  if (typeof value === 'string') return `${BAD}${value}` as T;
  if (Array.isArray(value)) return value.map(poison) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === 'status' || k === 'lang' ? v : poison(v)]),
    ) as T;
  }
  return value;
}

/** Words that are markup themselves, for templates that look words up. */
const badWords = (key: string) => `${BAD} ${key}`;

function expectEscaped(html: string, what: string): void {
  expect(html, what).not.toContain(BAD);
  expect(html, what).not.toMatch(/<script/i);
  expect(html, what).toContain(ESCAPED);
}

/** One poisoned rendering per template file; a new template without an entry here fails the coverage test. */
const RENDERS: Record<string, () => Promise<string[]> | string[]> = {
  mail: () => {
    const view: MailView = {
      subject: BAD,
      sections: LANGUAGES.map((lang) => ({
        lang,
        blocks: [
          { kind: 'p', lines: [[{ text: BAD }, { url: `https://x.example/${BAD}` }], [{ text: BAD }]] },
          { kind: 'ul', items: [[{ text: BAD }], [{ url: BAD }]] },
        ],
      })),
    };
    return [mailHtml('nl', view), mailHtml('en', { ...view, sections: view.sections.slice(0, 1) })];
  },
  segments: () => [render('segments', 'nl', { line: [{ text: BAD }, { url: BAD }] })],
  blocks: () => [render('blocks', 'fr', { blocks: [{ kind: 'p', lines: [[{ text: BAD }]] }] })],
  // P4: a printable letter: the mail's words, the address block, the reference and the style sheet's URL.
  letter: () =>
    LANGUAGES.map((lang) =>
      letterHtml(
        lang,
        { subject: BAD, text: `${BAD}\n\n- ${BAD}\n- https://x.example/${BAD}`, html: '' },
        { requestId: BAD, to: [BAD, BAD], at: '2026-11-25T09:00:00Z', stylesheet: BAD },
      ),
    ),
  cell: () => [render('cell', 'fr', { cell: `${BAD}\n${BAD}` })],
  'staff-notice': () => [render('staff-notice', 'en', { text: BAD })],
  unsubscribe: () =>
    (['confirm', 'done', 'invalid'] as const).map((state) =>
      render('unsubscribe', 'nl', { state, list: BAD, languages: [{ code: BAD, name: BAD }] }, badWords),
    ),
  'manual-task': () =>
    (['form', 'answered', 'already_answered', 'bad_answer', 'invalid'] as const).map((state) =>
      render(
        'manual-task',
        'nl',
        {
          state,
          system: BAD,
          intro: BAD,
          reason: BAD,
          operation: 'erase',
          subject: { email: BAD, customerNumber: BAD, changes: [{ field: BAD, value: BAD }], scope: [BAD] },
          categories: [{ code: BAD, label: BAD }],
          upload: { accept: BAD, text: BAD },
          languages: [{ code: BAD, name: BAD }],
        },
        badWords,
      ),
    ),
  report: () => reportRenders(),
  'report-system': () => reportRenders(),
  'report-kind': () => reportRenders(),
  'report-history': () => reportRenders(),
};

async function reportRenders(): Promise<string[]> {
  const out: string[] = [];
  for (const lang of LANGUAGES) {
    const { r, objects } = await exportedRequest('access', { language: lang });
    const view = await reportView({ objects, now: () => NOW, maxRows: 2, history: HISTORY }, r, 1);
    // Every branch: a system with nothing, one not read in full, record tables and wide tables.
    const [first, second] = view.systems;
    if (first) first.status = 'not_found';
    if (second) second.status = 'other';
    out.push(renderReportView(poison(view)));
    out.push(render('report', lang, poison(view), badWords));
  }
  return out;
}

describe('Escaping: no value reaches HTML raw (P10, P18)', () => {
  it.each(LANGUAGES)('escapes every catalog message of %s with markup in every argument', (lang) => {
    // Prepare: each message formatted with every ICU argument set to markup.
    const keys = Object.keys(CATALOGS[lang]) as MessageKey[];
    const texts = keys.map(
      (key) => [key, t(lang, key, poisonedValues(CATALOGS[lang][key], LOCALES[lang]))] as const,
    );

    // Act: each in a mail, under a subject that is markup too.
    const mails = texts.map(([key, text]) => [key, text, compose(lang, BAD, [text, [text]])] as const);

    // Assess
    expect(keys.length).toBeGreaterThan(200);
    for (const [key, text, m] of mails) {
      expectEscaped(m.html, `${lang} ${key}`);
      expect(m.text, key).toContain(text);
    }
  });

  it('escapes every always-English message (staff, receiving organisation) with markup in every argument', () => {
    // Prepare
    const keys = Object.keys(alwaysEnglish()) as EnglishKey[];

    // Act
    const mails = keys.map((key) => [
      key,
      mail('en', BAD, [english(key, poisonedValues(alwaysEnglish()[key], 'en-GB'))]),
    ]);

    // Assess
    for (const [key, m] of mails) expectEscaped((m as { html: string }).html, String(key));
  });

  it('renders every template file with markup in every value and word, and finds it escaped', async () => {
    // Prepare: the template files on disk.
    const names = templateNames();

    // Act
    const rendered = await Promise.all(
      names.map(async (name) => [name, await (RENDERS[name]?.() ?? [])] as const),
    );

    // Assess
    expect(Object.keys(RENDERS).sort()).toEqual(names);
    for (const [name, pages] of rendered) {
      expect(pages.length, name).toBeGreaterThan(0);
      for (const html of pages) expectEscaped(html, name);
    }
  });

  it('escapes what subjects, staff and systems put into the public messages, in every language', async () => {
    // Prepare: markup wherever a caller passes a value.
    const outcomes = [
      { kind: 'erased' as const, records: 2, category: BAD },
      { kind: 'skipped' as const, reason: BAD },
      { kind: 'rectified' as const, records: 1, category: BAD, fields: [BAD] },
      { kind: 'withdrawn' as const, records: 1, category: BAD, purposes: [BAD] },
      { kind: 'suppressed' as const, lists: [BAD] },
      { kind: 'retained' as const, records: 1, category: BAD, ground: BAD, until: '2035-12-31', kept: [BAD] },
    ];
    const systems = [{ system: 'billing' as const, records: 2 }];

    // Act
    const pages = LANGUAGES.flatMap((lang) => [
      ...REQUEST_TYPES.map((type) => verificationMessage(lang, type, BAD).html),
      verificationMessage(undefined, 'erasure', BAD).html,
      // The organisation a transfer goes to is the subject's own text, named in the code mail (Art. 20(2)).
      verificationMessage(lang, 'portability', BAD, { organisation: BAD, email: BAD }).html,
      resultMessage(lang, 'erasure', [{ system: 'crm', outcomes }], { told: [BAD], pending: [BAD] }).html,
      ...RejectionReason.options.map((reason) => rejectionMessage(lang, 'access', reason).html),
      // Staff's explanation of an `other` refusal is staff text, escaped like every value (Art. 12(4)).
      rejectionMessage(lang, 'access', 'other', BAD).html,
      rejectionMessage(undefined, 'erasure', 'other', BAD).html,
      accessMessage(lang, { reportUrl: BAD, packageUrl: BAD, systems, expires: BAD }).html,
      portabilityMessage(lang, {
        packageUrl: BAD,
        systems,
        expires: BAD,
        leftOut: LEFT_OUT_REASONS,
        sentTo: { organisation: BAD, email: BAD, date: BAD },
      }).html,
    ]);
    const fixed = [
      staffMessage('approval_needed', BAD, '2026-03-01T10:00:00.000Z').html,
      recipientMessage({
        controller: { name: BAD, address: BAD, enterpriseNumber: BAD, email: BAD },
        organisation: BAD,
        requestId: BAD,
        url: BAD,
        expires: BAD,
      }).html,
    ];

    // Assess
    for (const html of pages.filter((p) => p.includes('&lt;'))) expectEscaped(html, 'subject message');
    expect(pages.filter((p) => p.includes('&lt;')).length).toBe(
      LANGUAGES.length * (REQUEST_TYPES.length + 7),
    );
    for (const html of fixed) expectEscaped(html, 'English message');
    // Pages with no value from outside still never carry markup of their own making.
    for (const page of [...pages, ...LANGUAGES.map((l) => unsubscribePage(l, 'confirm', 'newsletter'))]) {
      expect(page).not.toMatch(/<script/i);
    }
  });

  it('escapes a record that is markup in the access report of every language (P1)', async () => {
    // Prepare: her first name in the CRM export is markup.
    const pages: string[] = [];
    for (const lang of LANGUAGES) {
      const { r, objects } = await exportedRequest('access', { language: lang });
      const key = [...objects.items.keys()].find((k) => k.endsWith('/crm/profile.json')) as string;
      const item = objects.items.get(key) as { body: Buffer };
      item.body = Buffer.from(item.body.toString().replace(`"${an.firstName}"`, JSON.stringify(BAD)));

      // Act
      pages.push(await renderReport({ objects, now: () => NOW }, r, 1));
    }

    // Assess
    for (const html of pages) expectEscaped(html, 'report');
  });

  it('lets templates print raw only what another template rendered (include), never a value', () => {
    // Prepare
    const sources = templateNames().map((name) => [name, templateSource(name)] as const);

    // Act: every raw output tag and what it prints.
    const raw = sources.flatMap(([name, source]) =>
      [...source.matchAll(/<%~\s*([^%]*)%>/g)].map((m) => [name, (m[1] ?? '').trim()] as const),
    );

    // Assess
    expect(raw.length).toBeGreaterThan(0);
    for (const [name, printed] of raw) expect(printed, name).toMatch(/^include\('@[a-z-]+'/);
  });
});
