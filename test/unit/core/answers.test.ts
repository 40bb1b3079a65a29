// The one decision point for answers (P4, P12): the requester by e-mail, or a printable letter, and what minimising
// a request removes of the postal address, the representative and the letters.
import { describe, expect, it } from 'vitest';
import { answerMailer, answerView } from '../../../functions/core/answers.ts';
import { minimised, personalFields } from '../../../functions/core/minimise.ts';
import type { Letter, LetterStore } from '../../../functions/core/ports.ts';
import { memoryMailer, memoryStore } from '../../fixtures/fakes.ts';
import { requestRecord } from '../../fixtures/requests.ts';

const NOW = new Date('2026-11-25T09:00:00Z');

function memoryLetters(): LetterStore & { letters: Letter[] } {
  const letters: Letter[] = [];
  return {
    letters,
    put: async (l) => {
      if (!letters.some((x) => x.id === l.id)) letters.push(l);
    },
    get: async (requestId, id) => letters.find((l) => l.requestId === requestId && l.id === id),
    scrub: async () => letters.length,
  };
}

async function routed(overrides: Parameters<typeof requestRecord>[0]) {
  const store = memoryStore();
  const r = requestRecord(overrides);
  await store.create(r);
  const mailer = memoryMailer();
  const letters = memoryLetters();
  const deps = {
    mailer,
    letters,
    store,
    stylesheet: () => 'https://api.example/assets/letter.css',
    now: () => NOW,
  };
  return { r, store, mailer, letters, send: answerMailer(deps).send };
}

const answer = (r: { id: string; email: string }) => ({
  to: r.email,
  subject: 'Votre demande',
  text: 'Bonjour,\n\nTexte.\n\n- un\n- deux',
  html: '<p>Bonjour</p>',
  idempotencyKey: `${r.id}:told:1:subject`,
  about: { requestId: r.id, kind: 'outcome' as const, to: 'subject' as const },
});

describe('Answers: to the requester, by e-mail or letter (P4, P12)', () => {
  it('mails a representative, never the subject, when one acts for them (P12, Art. 12(1))', async () => {
    // Prepare
    const { r, mailer, letters, send } = await routed({
      representative: { relation: 'parent', name: 'Marc Martens', email: 'marc@example.be' },
    });

    // Act
    await send(answer(r));

    // Assess
    expect(mailer.sent.map((m) => m.to)).toEqual(['marc@example.be']);
    expect(mailer.sent[0]?.about).toMatchObject({ kind: 'outcome', to: 'requester' });
    expect(letters.letters).toEqual([]);
  });

  it('prints a letter, once, to the postal address when no e-mail address is known (P4)', async () => {
    // Prepare
    const { r, store, mailer, letters, send } = await routed({
      email: '',
      language: 'fr',
      postalAddress: 'Rue Haute 5\n7500 Tournai',
    });

    // Act: the same answer twice (at least once).
    await send(answer(r));
    await send(answer(r));

    // Assess
    expect(mailer.sent).toEqual([]);
    expect(letters.letters).toHaveLength(1);
    expect(letters.letters[0]?.html).toContain('Rue Haute 5<br>7500 Tournai');
    expect(letters.letters[0]?.html).toContain('<ul><li>un</li><li>deux</li></ul>');
    const stored = await store.get(r.id);
    expect(stored?.letters).toEqual([{ id: letters.letters[0]?.id, kind: 'outcome', at: NOW.toISOString() }]);
    expect(answerView(stored ?? r)).toMatchObject({ answerBy: 'letter' });
  });

  it('passes a mail that is no answer through unchanged (a staff mail)', async () => {
    // Prepare
    const { r, mailer, send } = await routed({ email: '', postalAddress: 'Markt 1\n8500 Kortrijk' });
    // Act
    await send({ ...answer(r), to: 'privacy-team@jsm.be', about: 'staff' });

    // Assess
    expect(mailer.sent.map((m) => m.to)).toEqual(['privacy-team@jsm.be']);
  });
});

describe('Minimising a registered request (P4, P12, Art. 5(1)(e))', () => {
  it('removes the postal address, the representative name and contact, and staff note, keeping the relation and check', () => {
    // Prepare
    const r = requestRecord({
      postalAddress: 'Markt 1\n8500 Kortrijk',
      representative: {
        relation: 'guardian',
        name: 'Els Voogd',
        postalAddress: 'Kerkstraat 2\n8500 Kortrijk',
      },
      manualCheck: {
        of: 'authority',
        checkedAt: NOW.toISOString(),
        method: 'guardianship_decision_seen',
        note: 'gezien',
      },
      letters: [{ id: 'l_aaaaaaaaaaaaaaaaaaaaaa', kind: 'outcome', at: NOW.toISOString() }],
    });

    // Act
    const fields = personalFields(r);
    const out = minimised(r, NOW);

    // Assess
    expect(fields).toEqual(
      expect.arrayContaining(['postalAddress', 'representative', 'manualCheck.note', 'letters']),
    );
    expect(JSON.stringify(out)).not.toMatch(/Kortrijk|Els Voogd|gezien/);
    expect(out.representative).toEqual({ relation: 'guardian', name: '' });
    expect(out.manualCheck).toEqual({
      of: 'authority',
      checkedAt: NOW.toISOString(),
      method: 'guardianship_decision_seen',
    });
  });
});
