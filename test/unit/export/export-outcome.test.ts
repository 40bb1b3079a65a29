import { describe, expect, it } from 'vitest';
import { verifyDownloadToken } from '../../../functions/core/download-token.ts';
import { exportOutcomeWriter } from '../../../functions/core/export-outcome.ts';
import { t } from '../../../functions/core/messages/index.ts';
import type { OutcomeMail } from '../../../functions/core/progress.ts';
import type { Language } from '../../../functions/core/schemas.ts';
import { an, exportedRequest, NOW, SECRET } from './fixtures.ts';

const BASE = 'https://privacy.jsm.be/v1';
const DAY = 86_400_000;
const writer = exportOutcomeWriter({ secret: SECRET, publicBaseUrl: `${BASE}/`, now: () => NOW });
const expiresAt = new Date(NOW.getTime() + 7 * DAY).toISOString();

async function assembled(type: 'access' | 'portability', language: Language, extra: object = {}) {
  const { r } = await exportedRequest(type, { language });
  r.package = {
    key: `exports/${r.id}/1/package.zip`,
    sha256: 'a'.repeat(64),
    bytes: 1000,
    expiresAt,
    ...(type === 'access' ? { reportKey: `exports/${r.id}/1/report.html` } : {}),
  };
  return Object.assign(r, extra);
}

const links = (mail: OutcomeMail) =>
  [...mail.message.text.matchAll(/https:\/\/privacy\.jsm\.be\/v1\/downloads\/(\S+)/g)].map((m) => m[1] ?? '');

describe('Export outcome mails (P1, P7, P10, P18)', () => {
  for (const lang of ['nl', 'fr', 'en'] as const) {
    it(`sends the access answer in ${lang}: report and files links, expiry date and complaint authority (P1, P10)`, async () => {
      // Prepare: an assembled access request in this language
      const r = await assembled('access', lang);

      // Act: write the outcome mails
      const mails = await writer(r);

      // Assess: one mail to the subject, in the language, with the complaint authority
      expect(mails).toHaveLength(1);
      const [mail] = mails as [OutcomeMail];
      expect(mail.to).toBe(an.email);
      expect(mail.key).toBe('subject');
      expect(mail.message.subject).toBe(t(lang, 'mail.doneSubject', { type: t(lang, 'type.access') }));
      expect(mail.message.text).toContain(t(lang, 'mail.complaint'));
      // Assess: two links, each a token for this subject expiring with the package: the report and the files
      const tokens = links(mail);
      expect(tokens).toHaveLength(2);
      const files = tokens.map((t) => {
        const check = verifyDownloadToken(SECRET, t, NOW);
        if (!check.ok) throw new Error('bad token');
        expect(check.claims).toMatchObject({
          requestId: r.id,
          subjectRef: r.subjectRef,
          audience: 'subject',
        });
        expect(check.claims.expiresAt).toBe(expiresAt);
        return check.claims.file;
      });
      expect(files.sort()).toEqual(['package', 'report']);
      // Assess: the expiry date, written out in the language, and the links in the HTML
      expect(mail.message.text).toContain(
        new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : `${lang}-BE`, {
          dateStyle: 'long',
          timeZone: 'Europe/Brussels',
        }).format(new Date(expiresAt)),
      );
      expect(mail.message.html).toContain(`<a href="${BASE}/downloads/`);
    });
  }

  it('sends the portability link to the subject only, and says what stayed out and why: inferred data, staff notes (P7, Art. 20(1))', async () => {
    // Prepare: an assembled portability request in Dutch
    const r = await assembled('portability', 'nl');

    // Act: write the outcome mails
    const mails = await writer(r);

    // Assess: one mail, to the subject, one link; it says what stayed out (inferred data, staff notes) and why,
    // that there is no attachment, and the authority
    expect(mails.map((m) => [m.to, m.key])).toEqual([[an.email, 'subject']]);
    const [mail] = mails as [OutcomeMail];
    expect(links(mail)).toHaveLength(1);
    expect(mail.message.text).toContain(t('nl', 'exportMail.leftOutIntro'));
    expect(mail.message.text).toContain(
      `- ${t('nl', 'leftOut.staff_note')}\n- ${t('nl', 'leftOut.inferred')}`,
    );
    expect(mail.message.text).not.toContain(t('nl', 'leftOut.legal_basis'));
    expect(mail.message.text).toContain('kredietscore');
    expect(mail.message.text).toContain('niet als bijlage');
    expect(mail.message.text).toContain(t('nl', 'mail.complaint'));
  });

  it('mails a confirmed recipient organisation its own link, naming JSM and the request only, and tells the subject (P7, Art. 20(2))', async () => {
    // Prepare: an assembled portability request in French, to an organisation the subject confirmed
    const r = await assembled('portability', 'fr', {
      recipient: {
        organisation: 'Nieuwe Telecom NV',
        email: 'dpo@nieuwetelecom.example',
        confirmedAt: '2026-02-10T08:05:00.000Z',
      },
    });

    // Act: write the outcome mails
    const mails = await writer(r);

    // Assess: one mail to the organisation, then one to the subject
    expect(mails.map((m) => [m.to, m.key])).toEqual([
      ['dpo@nieuwetelecom.example', 'recipient'],
      [an.email, 'subject'],
    ]);
    const [toOrg, toSubject] = mails as [OutcomeMail, OutcomeMail];
    // Assess: the organisation's mail names JSM, the request and Art. 20(2), and none of the subject's data
    expect(toOrg.message.text).toContain('JSM BV');
    expect(toOrg.message.text).toContain(r.id);
    expect(toOrg.message.text).toContain('Article 20(2)');
    for (const personal of [an.email, an.firstName, an.lastName, an.phone, an.customerNumber]) {
      expect(toOrg.message.text).not.toContain(personal);
      expect(toOrg.message.html).not.toContain(personal);
    }
    // Assess: its link is a recipient token for the package
    const [orgToken] = links(toOrg);
    const check = verifyDownloadToken(SECRET, orgToken ?? '', NOW);
    expect(check).toMatchObject({ ok: true, claims: { audience: 'recipient', file: 'package' } });
    // Assess: the subject's mail names the organisation, the authority, and has one link
    expect(toSubject.message.text).toContain('Nieuwe Telecom NV (dpo@nieuwetelecom.example)');
    expect(toSubject.message.text).toContain(t('fr', 'mail.complaint'));
    expect(links(toSubject)).toHaveLength(1);
  });

  it('mails no link to an organisation the subject never confirmed when verifying (P7, Art. 20(2))', async () => {
    // Prepare: an assembled portability request naming an organisation without a confirmation
    const r = await assembled('portability', 'en', {
      recipient: { organisation: 'Nieuwe Telecom NV', email: 'dpo@nieuwetelecom.example' },
    });

    // Act: write the outcome mails
    const mails = await writer(r);

    // Assess: the subject alone, and her mail claims no transfer
    expect(mails.map((m) => [m.to, m.key])).toEqual([[an.email, 'subject']]);
    expect(mails[0]?.message.text).not.toContain('Nieuwe Telecom NV');
  });

  it('refuses to write a mail without an assembled package: the link would lead nowhere', async () => {
    // Prepare: an access request whose package was never assembled.
    const { r } = await exportedRequest('access', { language: 'en' });

    // Act
    const write = () => writer(r);

    // Assess
    expect(write).toThrow(/no assembled package/);
  });
});
