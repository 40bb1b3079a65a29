import { describe, expect, it } from 'vitest';
import { rejectionMessage, resultMessage, verificationMessage } from '../../../functions/core/messages.ts';
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
      const m = resultMessage(lang, 'erasure', [
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
    const m = resultMessage('en', 'erasure', [
      { system: 'crm', outcomes: [{ kind: 'skipped', reason: '<script>' }] },
    ]);
    expect(m.html).not.toContain('<script>');
  });

  it('tells what a rectification changed, and that issued invoices are not rewritten (P2)', () => {
    const m = resultMessage('nl', 'rectification', [
      {
        system: 'crm',
        outcomes: [{ kind: 'rectified', records: 1, category: 'contact', fields: ['phone', 'lastName'] }],
      },
      {
        system: 'billing',
        outcomes: [
          {
            kind: 'retained',
            records: 3,
            category: 'contract',
            ground: 'issued_invoice',
            until: '2035-12-31',
            kept: ['name'],
          },
        ],
      },
    ]);
    expect(m.subject).toBe('Uw verzoek tot correctie is uitgevoerd');
    expect(m.text).toContain('aangepast: telefoonnummer, achternaam');
    expect(m.text).toContain('creditnota');
  });

  it('tells what an objection stopped and that a later import will not add the subject again (P6)', () => {
    const m = resultMessage('fr', 'objection', [
      { system: 'marketing', outcomes: [{ kind: 'suppressed', lists: ['newsletter', 'direct_mailing'] }] },
      {
        system: 'crm',
        outcomes: [{ kind: 'withdrawn', records: 2, category: 'preferences', purposes: ['newsletter'] }],
      },
    ]);
    expect(m.text).toContain("lettre d'information, publipostage");
    expect(m.text).toContain('consentement retiré');
    expect(m.text).toContain('Autorité de protection des données');
  });

  it('sends the code in all three languages when the form named none (P18)', () => {
    const m = verificationMessage(undefined, 'access', '12345678');
    expect(m.text).toContain('inzage');
    expect(m.text).toContain("d'accès");
    expect(m.text).toContain('access');
    expect(m.html.match(/<html/g)).toHaveLength(1);
  });
});
