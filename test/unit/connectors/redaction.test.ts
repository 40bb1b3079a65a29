import { describe, expect, it } from 'vitest';
import {
  maskNumber,
  ownIdentity,
  REDACTED,
  redactFreeText,
} from '../../../functions/connectors/redaction.ts';

const own = ownIdentity(
  [{ firstName: 'An', lastName: 'Devos', phone: '+32470123456', email: 'an.devos@example.be' }],
  ['an.devos@example.be'],
);

describe('Redaction of other people in free text (P1, Art. 15(4))', () => {
  it("removes other people's names and keeps the subject's own (P1)", () => {
    // Prepare: the subject's identity (above). Act:
    const { text, redactions } = redactFreeText(
      'Mevr. Devos belt samen met haar partner Tom Claes; factuur gecontroleerd.',
      own,
    );

    // Assess
    expect(text).toBe(`Mevr. Devos belt samen met haar partner ${REDACTED.name}; factuur gecontroleerd.`);
    expect(redactions).toBe(1);
  });

  it("removes another person's e-mail address and number, and keeps the sentence's first word (P1)", () => {
    // Prepare: her identity. Act:
    const { text, redactions } = redactFreeText(
      'Klant tevreden. Buurvrouw Els Vandamme (els.vandamme@example.be, 0478 11 22 33) heeft hetzelfde probleem.',
      own,
    );

    // Assess
    expect(text).toBe(
      `Klant tevreden. Buurvrouw ${REDACTED.name} (${REDACTED.email}, ${REDACTED.phone}) heeft hetzelfde probleem.`,
    );
    expect(redactions).toBe(3);
  });

  it("keeps the subject's own number in any spelling, and dates and amounts that look like numbers (P1)", () => {
    // Prepare: her identity. Act:
    const { text, redactions } = redactFreeText(
      'Klant thuis na 17u (telefoon: 0470 12 34 56), factuur 2026-0201 van 2026-02-01, +++100/2340/20185+++.',
      own,
    );

    // Assess
    expect(redactions).toBe(0);
    expect(text).toContain('0470 12 34 56');
  });

  it('removes a titled name that is not the subject: "Dhr. Peeters", "Mme Dubois" (P1)', () => {
    // Prepare: her identity. Act: redact. Assess:
    expect(redactFreeText('Dhr. Peeters belde voor haar; Mme Dubois ook.', own).text).toBe(
      `Dhr. ${REDACTED.name} belde voor haar; Mme ${REDACTED.name} ook.`,
    );
  });

  it('masks a number called but for its last two digits (P7, Art. 20(4))', () => {
    // Prepare: numbers as written. Act: mask. Assess:
    expect(maskNumber('+32479880011')).toBe('*********11');
    expect(maskNumber('+41 44 300 11 22')).toBe('*********22');
  });
});
