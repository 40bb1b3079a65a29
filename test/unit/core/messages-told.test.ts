// Every text that says whom we told or who received the data, rendered in nl, fr and en (P10, P13, P18; issue 7,
// "Say only what happened"): the outcome mails and the recipients part of the access report.
import { describe, expect, it } from 'vitest';
import { resultMessage } from '../../../functions/core/messages/index.ts';
import { renderReport } from '../../../functions/core/report.ts';
import type { Language } from '../../../functions/core/schemas.ts';
import { unescapeHtml } from '../../helpers/html.ts';
import { exportedRequest, NOW } from '../export/fixtures.ts';

const RECTIFIED = [
  {
    system: 'crm' as const,
    outcomes: [{ kind: 'rectified' as const, records: 1, category: 'identification', fields: ['lastName'] }],
  },
];
const SUPPRESSED = [
  { system: 'marketing' as const, outcomes: [{ kind: 'suppressed' as const, lists: ['newsletter'] }] },
];
const SPLIT = { told: ['Voorbeeld Logistiek BV'], pending: ['Voorbeeld Facturatie NV'] };

/** What each language must say, word for word (read by a fluent speaker of each). */
const SAYS = {
  nl: {
    told: 'We hebben deze ontvangers van uw gegevens op de hoogte gebracht en zij hebben de ontvangst bevestigd: Voorbeeld Logistiek BV.',
    pending:
      'Ook deze ontvangers van uw gegevens brengen we op de hoogte: Voorbeeld Facturatie NV. Zij hebben de ontvangst van ons bericht nog niet bevestigd; we blijven het sturen tot ze dat doen.',
    instructed:
      'We hebben deze verwerkers opgedragen uw gegevens niet langer voor direct marketing te verwerken en zij hebben de ontvangst bevestigd: Voorbeeld Logistiek BV.',
    willInstruct:
      'Ook deze verwerkers dragen we op uw gegevens niet langer voor direct marketing te verwerken: Voorbeeld Facturatie NV.',
    none: 'Geen van de organisaties met wie we gegevens delen, had de gegevens ontvangen die u liet corrigeren; er was dus niemand op de hoogte te brengen.',
    rectifiedIntro: 'We hebben uw gegevens gecorrigeerd. Dit is wat er in elk systeem gebeurde:',
    objectionIntro: 'We hebben gevolg gegeven aan uw bezwaar. Dit is wat er in elk systeem gebeurde:',
    claims: /op de hoogte gebracht|opdracht/,
  },
  fr: {
    told: 'Nous avons informé ces destinataires de vos données, qui en ont confirmé la réception\u00a0: Voorbeeld Logistiek BV.',
    pending:
      "Nous informerons aussi ces destinataires de vos données\u00a0: Voorbeeld Facturatie NV. Ils n'ont pas encore confirmé la réception de notre notification\u202f; nous la leur renvoyons jusqu'à ce qu'ils le fassent.",
    instructed:
      'Nous avons donné instruction à ces sous-traitants de cesser de traiter vos données à des fins de prospection, et ils en ont confirmé la réception\u00a0: Voorbeeld Logistiek BV.',
    willInstruct:
      "Nous donnons aussi à ces sous-traitants l'instruction de cesser de traiter vos données à des fins de prospection\u00a0: Voorbeeld Facturatie NV.",
    none: "Aucune des organisations avec lesquelles nous partageons des données n'avait reçu les données que vous avez fait rectifier\u202f; nous n'avions donc personne à informer.",
    rectifiedIntro: 'Nous avons rectifié vos données. Voici ce qui a été fait dans chaque système\u00a0:',
    objectionIntro:
      'Nous avons donné suite à votre opposition. Voici ce qui a été fait dans chaque système\u00a0:',
    claims: /en ont été informés|ont informé|instruction/,
  },
  en: {
    told: 'We informed these recipients of your data, and they confirmed receipt: Voorbeeld Logistiek BV.',
    pending:
      'These recipients of your data will also be informed: Voorbeeld Facturatie NV. They have not yet confirmed receiving our notice, and we keep sending it until they do.',
    instructed:
      'We instructed these processors to stop processing your data for direct marketing, and they confirmed receipt: Voorbeeld Logistiek BV.',
    willInstruct:
      'These processors will also be instructed to stop processing your data for direct marketing: Voorbeeld Facturatie NV.',
    none: 'None of the organisations we share data with had received the data you asked us to correct, so there was no one to inform.',
    rectifiedIntro: 'We have rectified your data. This is what happened in each system:',
    objectionIntro: 'We have acted on your objection. This is what happened in each system:',
    claims: /informed|instructed/,
  },
} as const;

const LANGS = Object.keys(SAYS) as Language[];

describe('Outcome mails say only what happened (P13, P10, Art. 19)', () => {
  it.each(LANGS)(
    'names as told only the acknowledged recipients, the others as still to be told (%s)',
    (lang) => {
      // Prepare: re-orders acknowledged, invoicing not yet
      // Act
      const erasure = resultMessage(lang, 'erasure', RECTIFIED, SPLIT);
      const rectification = resultMessage(lang, 'rectification', RECTIFIED, SPLIT);

      // Assess
      for (const m of [erasure, rectification]) {
        expect(m.text).toContain(SAYS[lang].told);
        expect(m.text).toContain(SAYS[lang].pending);
        expect(unescapeHtml(m.html)).toContain(SAYS[lang].pending);
      }
      expect(rectification.text).toContain(SAYS[lang].rectifiedIntro);
      expect(rectification.text).not.toContain(SAYS[lang].none);
    },
  );

  it.each(LANGS)(
    'tells of processors instructed after an objection only as far as they confirmed (%s)',
    (lang) => {
      // Prepare, Act
      const m = resultMessage(lang, 'objection', SUPPRESSED, SPLIT);

      // Assess
      expect(m.text).toContain(SAYS[lang].objectionIntro);
      expect(m.text).toContain(SAYS[lang].instructed);
      expect(m.text).toContain(SAYS[lang].willInstruct);
    },
  );

  it.each(LANGS)('claims no recipient or processor was informed when none had the data (%s)', (lang) => {
    // Prepare: nobody affected
    const none = { told: [], pending: [] };

    // Act
    const rectification = resultMessage(lang, 'rectification', RECTIFIED, none);
    const objection = resultMessage(lang, 'objection', SUPPRESSED, none);
    const erasure = resultMessage(lang, 'erasure', RECTIFIED, none);

    // Assess: the rectification says nobody received the data; objection and erasure say nothing of the kind
    expect(rectification.text).toContain(SAYS[lang].none);
    expect(rectification.text.replace(SAYS[lang].none, '')).not.toMatch(SAYS[lang].claims);
    expect(objection.text).toContain(SAYS[lang].objectionIntro);
    expect(objection.text).not.toMatch(SAYS[lang].claims);
    expect(erasure.text).not.toMatch(SAYS[lang].claims);
  });
});

/** What the access report says of recipients, word for word. */
const REPORT = {
  nl: {
    heading: 'Wie uw gegevens uit dit systeem ontving',
    intro:
      'Deze ondernemingen ontvingen van ons gegevens over u, elk alleen voor de vermelde dienst en binnen de Europese Unie:',
    noneHere: 'Uit dit systeem gingen geen gegevens van u naar een andere organisatie.',
    noneAtAll: 'We hebben geen van uw gegevens doorgegeven aan een andere onderneming of verwerker.',
    unknownHere:
      'Onze registers tonen niet welke ontvangers uw gegevens uit dit systeem kregen. Gegevens uit dit systeem gaan naar deze categorieën van ontvangers:',
    unknown:
      'Onze registers tonen niet welke ontvangers uw gegevens in Marketing kregen. Gegevens die daar bewaard worden, gaan naar deze categorieën van ontvangers:',
    category: 'verwerker (BE): Verstuurt onze nieuwsbrieven en e-mailings.',
  },
  fr: {
    heading: 'Qui a reçu vos données de ce système',
    intro:
      "Ces entreprises ont reçu de notre part des données vous concernant, chacune uniquement pour le service indiqué et au sein de l'Union européenne\u00a0:",
    noneHere: "Aucune de vos données de ce système n'a été transmise à une autre organisation.",
    noneAtAll: "Nous n'avons transmis aucune de vos données à une autre entreprise ni à un sous-traitant.",
    unknownHere:
      'Nos registres ne montrent pas quels destinataires ont reçu vos données de ce système. Les données de ce système sont transmises à ces catégories de destinataires\u00a0:',
    unknown:
      'Nos registres ne montrent pas quels destinataires ont reçu vos données figurant dans Marketing. Les données qui y sont conservées sont transmises à ces catégories de destinataires\u00a0:',
    category: 'sous-traitant (BE)\u00a0: Envoie nos newsletters et e-mailings.',
  },
  en: {
    heading: 'Who received your data from this system',
    intro:
      'These companies received data about you from us, each only for the service named and within the European Union:',
    noneHere: 'None of your data in this system was passed on to another organisation.',
    noneAtAll: 'We have passed on none of your data to another company or processor.',
    unknownHere:
      'Our records do not show which recipients received your data from this system. Data from this system is passed on to these categories of recipients:',
    unknown:
      'Our records do not show which recipients received your data in Marketing. Data held there is passed on to these categories of recipients:',
    category: 'processor (BE): Sends our newsletters and e-mailings.',
  },
} as const;

/** The report's words as a reader sees them; no-break spaces stay, as French needs them. */
const words = (html: string) =>
  unescapeHtml(
    html
      .replace(/<style>[\s\S]*?<\/style>/, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/[ \t\r\n]+/g, ' '),
  );

describe('Access report names the recipients of this person only (P1, P13, CJEU C-154/21)', () => {
  it.each(LANGS)('names An’s recipients and says where none received her data (%s)', async (lang) => {
    // Prepare: An, found everywhere, on both lists, with invoices
    const { r, objects } = await exportedRequest('access', { language: lang });

    // Act
    const text = words(await renderReport({ objects, now: () => NOW }, r, 1));

    // Assess: the four named; support's data went nowhere; no category-level wording
    expect(text).toContain(REPORT[lang].intro);
    expect(text).toContain(REPORT[lang].heading);
    expect(text).toContain(REPORT[lang].noneHere);
    for (const name of ['Voorbeeld E-mailmarketing BV', 'Voorbeeld Facturatie NV', 'Voorbeeld Logistiek BV'])
      expect(text).toContain(name);
    expect(text).not.toContain(REPORT[lang].unknown);
  });

  it.each(LANGS)(
    'gives categories only, clearly worded, where a system did not say what it found (%s)',
    async (lang) => {
      // Prepare: marketing's locate recorded no record types
      const { r, objects } = await exportedRequest('access', { language: lang });
      const marketing = r.systems.marketing;
      if (marketing) marketing.located = { found: true, records: 2, categories: ['marketing'] };

      // Act
      const text = words(await renderReport({ objects, now: () => NOW }, r, 1));

      // Assess: the list processors unnamed, as categories; the others still named
      expect(text).toContain(REPORT[lang].unknownHere);
      expect(text).toContain(REPORT[lang].unknown);
      expect(text).toContain(REPORT[lang].category);
      expect(text).not.toContain('Voorbeeld E-mailmarketing BV');
      expect(text).toContain('Voorbeeld Facturatie NV');
    },
  );

  it.each(LANGS)('says that no one received the data of a person no system holds (%s)', async (lang) => {
    // Prepare: every system found nothing
    const { r, objects } = await exportedRequest('access', { language: lang });
    for (const s of Object.values(r.systems)) {
      if (!s) continue;
      s.located = { found: false, records: 0, categories: [] };
      s.outcomes = [{ kind: 'not_found' }];
    }

    // Act
    const text = words(await renderReport({ objects, now: () => NOW }, r, 1));

    // Assess
    expect(text).toContain(REPORT[lang].noneAtAll);
    expect(text).not.toContain(REPORT[lang].intro);
    expect(text).not.toMatch(/Voorbeeld/);
  });
});
