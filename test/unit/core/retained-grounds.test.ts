// The erasure mail's lines on what was kept (P3, P18): every ground, each with its own date, in nl, fr and en.
import { describe, expect, it } from 'vitest';
import { resultMessage } from '../../../functions/core/messages/index.ts';
import { RETENTION_GROUNDS } from '../../../functions/core/retention.ts';
import type { Language, Outcome } from '../../../functions/core/schemas.ts';

/** What billing, support and CRM kept of a customer with a disputed invoice and a running contract. */
const KEPT: { system: 'billing' | 'support' | 'crm'; outcomes: Outcome[] }[] = [
  {
    system: 'billing',
    outcomes: [
      {
        kind: 'retained',
        records: 3,
        category: 'usage',
        ground: 'open_claim',
        until: '2031-10-01',
        kept: ['calledNumber', 'durationSeconds', 'startedAt'],
      },
      {
        kind: 'retained',
        records: 2,
        category: 'usage',
        ground: 'traffic_data',
        until: '2027-07-31',
        kept: ['calledNumber', 'durationSeconds', 'startedAt'],
      },
      {
        kind: 'retained',
        records: 1,
        category: 'contract',
        ground: 'open_claim',
        until: '2036-12-31',
        periods: [
          { ground: 'open_claim', until: '2031-10-01' },
          { ground: 'fiscal_retention', until: '2036-12-31' },
        ],
        kept: ['invoiceNumber', 'status'],
      },
    ],
  },
  {
    system: 'support',
    outcomes: [
      {
        kind: 'retained',
        records: 2,
        category: 'support',
        ground: 'open_claim',
        until: '2031-10-01',
        kept: ['invoiceNumber', 'ticketId', 'text'],
      },
    ],
  },
  {
    system: 'crm',
    outcomes: [
      {
        kind: 'retained',
        records: 2,
        category: 'contract',
        ground: 'running_contract',
        until: '2027-03-31',
        kept: ['contractNumber', 'endsAt', 'firstName'],
      },
    ],
  },
];

describe('Erasure mail: each ground and its date (P3, P18)', () => {
  it.each([
    [
      'nl',
      [
        'Facturatie: 3 gegevens bewaard (gebruiksgegevens) op grond van een openstaande vordering of betwisting, tot die is afgehandeld en uiterlijk tot 1 oktober 2031.',
        'Facturatie: 2 gegevens bewaard (gebruiksgegevens) op grond van de wet betreffende de elektronische communicatie (artikel 122: gespreksgegevens blijven bewaard zolang de factuur kan worden betwist), tot 31 juli 2027.',
        'op grond van een openstaande vordering of betwisting, tot die is afgehandeld en uiterlijk tot 1 oktober 2031; de wettelijke bewaarplicht voor facturen (10 jaar, artikel 60, § 4, Btw-Wetboek), tot 31 december 2036.',
        'op grond van een lopend contract, zolang het loopt (de lopende termijn eindigt op 31 maart 2027).',
        'Bewaard: gebeld nummer, duur (seconden), begin.',
      ],
    ],
    [
      'fr',
      [
        "3 données conservées (données d'utilisation) sur la base de l'existence d'une créance ou d'un litige en cours, jusqu'à son règlement et au plus tard jusqu'au 1er octobre 2031.",
        "sur la base de la loi relative aux communications électroniques (article 122\u00a0: les données d'appel sont conservées tant que la facture peut être contestée), jusqu'au 31 juillet 2027.",
        "jusqu'à son règlement et au plus tard jusqu'au 1er octobre 2031\u202f; l'obligation légale de conservation des factures (10 ans, article 60, § 4, du Code de la TVA), jusqu'au 31 décembre 2036.",
        "sur la base de l'exécution d'un contrat en cours, tant qu'il est en vigueur (sa période actuelle se termine le 31 mars 2027).",
        'Éléments conservés\u00a0: numéro appelé, durée (secondes)',
      ],
    ],
    [
      'en',
      [
        'Billing: 3 records kept (usage data) on the ground of an open claim or dispute, until it is settled and at the latest until 1 October 2031.',
        'on the ground of the Electronic Communications Act (Article 122: call records are kept as long as the invoice can be challenged), until 31 July 2027.',
        'until it is settled and at the latest until 1 October 2031; the legal duty to keep invoices (10 years, Article 60, § 4, of the Belgian VAT Code), until 31 December 2036.',
        'on the ground of a running contract, as long as it runs (its current term ends on 31 March 2027).',
        'Kept: number called, duration (seconds)',
      ],
    ],
  ] as [Language, string[]][])(
    'tells the subject every ground with its date, in words (%s)',
    (lang, sentences) => {
      // Prepare: what was kept (above). Act:
      const m = resultMessage(lang, 'erasure', KEPT);

      // Assess: each ground with its own date, the fields in words, never a code
      for (const sentence of sentences) expect(m.text).toContain(sentence);
      expect(m.text).not.toMatch(
        /open_claim|traffic_data|running_contract|calledNumber|contractNumber|endsAt/,
      );
    },
  );

  it('writes French grounds after "sur la base de" as French does: "d\'une", "de l\'", never "de une" (P18)', () => {
    // Prepare: one kept record on each ground (an issued invoice reads otherwise: it is no erasure's).
    const outcomes: Outcome[] = RETENTION_GROUNDS.filter((g) => g !== 'issued_invoice').map((ground) => ({
      kind: 'retained',
      records: 1,
      category: 'contract',
      ground,
      until: '2031-10-01',
      kept: ['invoiceNumber'],
    }));

    // Act
    const m = resultMessage('fr', 'erasure', [{ system: 'billing', outcomes }]);

    // Assess
    expect(m.text.match(/sur la base d/g)).toHaveLength(outcomes.length);
    expect(m.text).not.toMatch(/\bde (une?|le|les)\b|\bde [aeéiou]/i);
  });
});
