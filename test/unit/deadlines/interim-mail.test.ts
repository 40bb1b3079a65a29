// The interim answer (Art. 12(3)–(4), P10, P18): in the subject's language, what is done, what is pending, why, the
// extension or the delay, and the right to complain and go to court; never a claim that pending work is done.
import { describe, expect, it } from 'vitest';
import { interimMessage } from '../../../functions/core/messages/index.ts';

const base = {
  type: 'erasure' as const,
  done: ['crm' as const, 'marketing' as const],
  pending: ['support' as const],
  workflowFailed: false,
  dueAt: '2026-03-01T22:59:59.999Z',
};

describe('Interim answer (Art. 12(3)–(4))', () => {
  it.each([
    [
      'nl',
      [
        'Al uitgevoerd in: Klantenbestand, Marketing.',
        'Nog uit te voeren in: Klantendienst.',
        'Gegevensbeschermingsautoriteit',
        'artikel 79 AVG',
        '1 maart 2026',
      ],
    ],
    [
      'fr',
      [
        'Déjà fait dans\u00a0: Fichier clients, Marketing.',
        'Reste à faire dans\u00a0: Service clientèle.',
        'Autorité de protection des données',
        'article 79 du RGPD',
        '1er mars 2026',
      ],
    ],
    [
      'en',
      [
        'Already done in: Customer records, Marketing.',
        'Still to be done in: Customer support.',
        'contact@apd-gba.be',
        'Article 79',
        '1 March 2026',
      ],
    ],
  ] as const)(
    'tells in %s what is done, what is pending, until when, and where to complain (P10, P18)',
    (lang, phrases) => {
      // Act
      const m = interimMessage(lang, { ...base, period: 'extendable' });
      // Assess
      for (const phrase of phrases) expect(m.text).toContain(phrase);
      expect(m.html).toContain(phrases[0].replace("'", '&#39;'));
    },
  );

  it.each([
    ['extendable', 'extend that period by at most two further months'],
    ['extended', 'we have extended the period for answering to 1 March 2026'],
    ['late', 'The period for answering ended on 1 March 2026'],
  ] as const)('says how the period stands when it is %s (P9)', (period, phrase) => {
    // Act
    const m = interimMessage('en', { ...base, period });
    // Assess
    expect(m.text).toContain(phrase);
  });

  it('gives the reason: a failed system, a failed workflow, or only the answer still to be sent', () => {
    // Act
    const systems = interimMessage('en', { ...base, period: 'late' });
    const workflow = interimMessage('en', {
      ...base,
      done: [],
      pending: ['crm', 'support'],
      workflowFailed: true,
      period: 'late',
    });
    const answer = interimMessage('en', { ...base, pending: [], period: 'late' });
    // Assess
    expect(systems.text).toContain('kept that system from finishing');
    expect(workflow.text).toContain('interrupted the processing of your request');
    expect(workflow.text).toContain('Nothing has been done in our systems yet.');
    expect(answer.text).toContain('not yet been able to put together and send you our full answer');
    for (const m of [systems, workflow, answer]) expect(m.subject).not.toMatch(/carried out/);
  });
});
