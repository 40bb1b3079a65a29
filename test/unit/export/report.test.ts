import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { knownLabel, t } from '../../../functions/core/messages/index.ts';
import { type ExportObjects, reportKey } from '../../../functions/core/package.ts';
import { loadProcessingRegister, loadRecipients } from '../../../functions/core/registers/index.ts';
import { buildReport, firstRecords, renderReport } from '../../../functions/core/report.ts';
import { fieldLabel, show } from '../../../functions/core/report-cells.ts';
import { type Language, SYSTEMS } from '../../../functions/core/schemas.ts';
import { unescapeHtml } from '../../helpers/html.ts';
import { an, exportedRequest, NOW, request } from './fixtures.ts';

const LANGUAGES: Language[] = ['nl', 'fr', 'en'];

/** The report's text without tags, entities decoded: what a reader sees. */
const visible = (html: string) =>
  unescapeHtml(html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' '));

describe('Access report (P1, P17)', () => {
  for (const lang of LANGUAGES) {
    it(`lists every system, category, purpose, legal basis, recipient and retention period for an.devos in ${lang} (P1, P17)`, async () => {
      // Prepare
      const { r, objects } = await exportedRequest('access', { language: lang });
      const register = loadProcessingRegister();

      // Act
      const html = await renderReport({ objects, now: () => NOW }, r, 1);

      // Assess
      const text = visible(html);
      expect(html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
      for (const system of SYSTEMS) {
        expect(text, system).toContain(knownLabel('system', system, lang));
        expect(text).toContain(register.systems[system].description[lang]);
        expect(text).toContain(register.systems[system].automatedDecisions.text[lang]);
        for (const line of register.systems[system].processing) {
          expect(text, line.purpose).toContain(register.purposes[line.purpose]?.text[lang]);
          expect(text).toContain(register.retentionRules[line.retention.rule].text[lang]);
          for (const basis of line.legalBasis) expect(text).toContain(register.legalBases[basis].text[lang]);
          for (const c of line.categories) expect(text).toContain(knownLabel('category', c, lang));
        }
        for (const source of register.systems[system].sources) expect(text).toContain(source.text[lang]);
      }
      for (const recipient of loadRecipients().recipients) {
        expect(text, recipient.id).toContain(recipient.name);
        expect(text).toContain(recipient.service[lang]);
      }
      // Every category her exported records carry is named in the language.
      const categories = Object.values(r.systems).flatMap((s) =>
        (s?.outcomes ?? []).flatMap((o) =>
          o.kind === 'exported' ? o.files.flatMap((f) => f.categories) : [],
        ),
      );
      expect(categories.length).toBeGreaterThan(5);
      for (const c of new Set(categories)) expect(text, c).toContain(knownLabel('category', c, lang));
      // P10: the complaint authority, as every answer words it, and the company's contact.
      expect(text).toContain(t(lang, 'mail.complaint'));
      expect(text).toContain(t(lang, 'mail.contact'));
    });
  }

  it('shows her own data per record kind, with the category of each item, and the credit score’s source (P1, P16)', async () => {
    // Prepare
    const { r, objects } = await exportedRequest('access', { language: 'nl' });

    // Act
    const report = await renderReport({ objects, now: () => NOW }, r, 1);

    // Assess
    const text = visible(report);
    expect(text).toContain(an.email);
    expect(text).toContain(an.customerNumber);
    expect(text).toContain('Facturen');
    expect(text).toContain('Kredietscores');
    expect(text).toContain('Benelux Kredietinfo NV');
    expect(text).toContain('door ons afgeleid');
    // The category column of each row is labelled in her language.
    expect(text).toMatch(/Soort[\s\S]*contractgegevens/);
    expect(text).toContain('er bestaat een wachtwoord voor uw account');
    expect(report).not.toContain('$argon2id$');
    // Free text about other people was redacted by the connector, and the report says so (Art. 15(4)), with
    // the plural the count takes (no more "vermelding(en)").
    expect(text).toMatch(/\d+ vermelding(en)? van andere personen/);
    expect(text).not.toContain('vermelding(en)');
  });

  it('escapes whatever the systems hold: a record cannot inject markup into the report', async () => {
    // Prepare: her first name in the CRM export is a script.
    const { r, objects } = await exportedRequest('access', { language: 'en' });
    const key = [...objects.items.keys()].find((k) => k.endsWith('/crm/profile.json')) as string;
    const item = objects.items.get(key) as { body: Buffer };
    item.body = Buffer.from(item.body.toString().replace(`"${an.firstName}"`, '"<script>alert(1)</script>"'));

    // Act
    const report = await renderReport({ objects, now: () => NOW }, r, 1);

    // Assess
    expect(report).not.toContain('<script>');
    expect(report).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(report).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('is printable: one document with print CSS, each system on its own page', async () => {
    // Prepare
    const { r, objects } = await exportedRequest('access', { language: 'fr' });

    // Act
    const report = await renderReport({ objects, now: () => NOW }, r, 1);

    // Assess
    expect(report.match(/<html/g)).toHaveLength(1);
    expect(report).toContain('@media print');
    expect(report).toContain('@page { size: A4');
    expect(report).toMatch(/section\.system \{ break-before: page; \}/);
  });

  it('summarises a million call records: counts, the first rows and a pointer to the machine-readable files (P1)', async () => {
    // Prepare: calls.json of a million records produced on demand; the report must not read it all.
    const TOTAL = 1_000_000;
    let produced = 0;
    const objects: ExportObjects = {
      async get(key) {
        if (!key.endsWith('/billing/calls.json')) return undefined;
        return Readable.from(
          (function* () {
            for (let i = 0; i < TOTAL; i++) {
              const chunk = `${i === 0 ? '[\n' : ',\n'}{"category":"usage","origin":"observed","calledNumber":"+3247988${String(i % 10000).padStart(4, '0')}","durationSeconds":60}`;
              produced += chunk.length;
              yield chunk;
            }
            yield '\n]\n';
          })(),
        );
      },
      async put() {},
    };
    const file = (format: 'json' | 'csv') => ({
      name: `calls.${format}`,
      format,
      records: TOTAL,
      bytes: 1,
      sha256: '0'.repeat(64),
      categories: ['usage'],
    });
    const r = request('access', 'nl', {
      systems: {
        billing: {
          state: 'done',
          outcomes: [
            {
              kind: 'exported',
              purpose: 'access',
              records: TOTAL,
              files: [file('json'), file('csv')],
              omitted: [],
              redacted: 0,
              masked: 0,
            },
          ],
        },
      },
    });

    // Act
    const report = await renderReport({ objects, now: () => NOW, maxRows: 50 }, r, 1);

    // Assess
    const text = visible(report);
    expect(text).toContain('Hieronder staan de eerste 50 van 1.000.000 gegevens');
    expect(text).toContain('billing/calls.csv, billing/calls.json');
    expect(report.match(/<tr>/g)?.length).toBeLessThan(80);
    expect(produced).toBeLessThan(100_000);
  });

  it('stores the report at exports/<id>/<attempt>/report.html as HTML', async () => {
    // Prepare
    const { r, objects } = await exportedRequest('access', { language: 'en' });

    // Act
    const stored = await buildReport({ objects, now: () => NOW }, r, 1);

    // Assess
    expect(stored.key).toBe(reportKey(r.id, 1));
    expect(objects.items.get(stored.key)?.contentType).toBe('text/html; charset=utf-8');
    expect(objects.items.get(stored.key)?.body.length).toBe(stored.bytes);
  });

  it('reads one record per line of a connector JSON file and stops after the first ones', async () => {
    // Prepare: a file of three records and an empty one.
    const three = Readable.from(['[\n{"a":1},\n{"a":2},\n{"a":3}\n]\n']);
    const empty = Readable.from(['[]\n']);

    // Act
    const rows = await firstRecords(three, 2);
    const none = await firstRecords(empty, 5);

    // Assess
    expect(rows).toEqual([{ a: 1 }, { a: 2 }]);
    expect(none).toEqual([]);
  });
});

describe('Access report: notes written by staff (P1, CJEU C-579/21)', () => {
  it.each([
    ['nl', 'geschreven door onze medewerkers', 'door ons afgeleid'],
    ['fr', 'rédigée par nos collaborateurs', 'déduite par nous'],
    ['en', 'written by our staff', 'inferred by us'],
  ] as const)(
    'labels support notes as written by staff, not as provided by her, and names no agent (%s)',
    async (lang, byStaff, inferred) => {
      // Prepare: her access export, the support connector's notes among it
      const { r, objects } = await exportedRequest('access', { language: lang });
      const notesKey = [...objects.items.keys()].find((k) => k.endsWith('/support/notes.json')) as string;

      // Act
      const text = visible(await renderReport({ objects, now: () => NOW }, r, 1));

      // Assess: every note is the staff's in the file, without the agent; the report says so in her language
      const notes = JSON.parse(objects.items.get(notesKey)?.body.toString() ?? '[]') as Record<
        string,
        unknown
      >[];
      expect(notes.length).toBeGreaterThan(0);
      for (const note of notes) {
        expect(note.origin).toBe('staff');
        expect(note).not.toHaveProperty('agent');
      }
      expect(text).toContain(byStaff);
      expect(text).toContain(inferred);
      const source = loadProcessingRegister().systems.support.sources.find((s) => s.records.includes('NOTE'));
      expect(text).toContain(source?.text[lang]);
      expect(text).not.toMatch(/agent \d{3}/);
    },
  );
});

describe('Access report: a consent withdrawn by one click (P1, P5)', () => {
  it.each([
    ['nl', 'ingetrokken via', 'de uitschrijflink in een mailing', 'nee'],
    ['fr', 'retiré par', "le lien de désinscription d'un envoi", 'non'],
    ['en', 'withdrawn through', 'the unsubscribe link in a mailing', 'no'],
  ] as const)(
    'names the channel and the date of the withdrawal in words (%s)',
    (lang, heading, channel, no) => {
      // Prepare: CRM's newsletter consent as the one-click opt-out leaves it
      const consent = {
        purpose: 'newsletter',
        granted: false,
        withdrawnAt: '2026-11-25T09:00:00.000Z',
        withdrawnChannel: 'one_click',
      };
      // Act
      const cells = Object.entries(consent).map(([k, v]) => [fieldLabel(k, lang), show(k, v, lang)]);
      // Assess: given "no", the channel in words, the date as the reader reads it
      expect(cells).toContainEqual([heading, channel]);
      expect(cells.find(([, v]) => v === no)).toBeDefined();
      expect(cells.find(([k]) => k === fieldLabel('withdrawnAt', lang))?.[1]).toMatch(/2026/);
    },
  );
});
