import { describe, expect, it } from 'vitest';
import {
  erasureOutcomeMessage,
  rejectionMessage,
  verificationMessage,
} from '../../../functions/core/messages.ts';
import type { Language } from '../../../functions/core/schemas.ts';

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
      const m = erasureOutcomeMessage(lang, [
        { system: 'crm', outcomes: [{ kind: 'erased', records: 1, category: 'contact' }] },
      ]);
      expect(m.text).toContain(AUTHORITY[lang]);
      expect(m.text).toContain('+32 2 274 48 00');
      expect(m.text).toContain('contact@apd-gba.be');
      expect(m.text).toContain('info@jsm.be');
      expect(m.html).toContain(`lang="${lang}"`);
    },
  );

  it.each(LANGS)('names the right to go to court in a refusal (%s)', (lang) => {
    const m = rejectionMessage(lang, 'erasure', 'manifestly_unfounded');
    expect(m.text).toMatch(/79/);
    expect(m.text).toContain(AUTHORITY[lang]);
  });

  it("writes the code mail in the subject's language", () => {
    expect(verificationMessage('nl', 'erasure', '12345678').text).toContain('verwijdering');
    expect(verificationMessage('fr', 'erasure', '12345678').text).toContain("d'effacement");
    expect(verificationMessage('en', 'erasure', '12345678').text).toContain('erasure');
  });

  it('escapes HTML', () => {
    const m = erasureOutcomeMessage('en', [
      { system: 'crm', outcomes: [{ kind: 'skipped', reason: '<script>' }] },
    ]);
    expect(m.html).not.toContain('<script>');
  });
});
