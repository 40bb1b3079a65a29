// The outcome mails of access (P1) and portability (P7) requests: links to the assembled files, never the files
// themselves; the expiry date; the complaint authority (P10); in the subject's language (P18). A portability
// request with a confirmed recipient organisation (Art. 20(2)) also mails that organisation its own link.
import { type DownloadAudience, type DownloadFile, downloadToken, downloadUrl } from './download-token.ts';
import { compose, EXPORT_T, escapeHtml, formatDate, type Message, SYSTEM_LABELS, T } from './messages.ts';
import { systemExports } from './package.ts';
import type { OutcomeMail, OutcomeWriter } from './progress.ts';
import { loadProcessingRegister } from './registers/index.ts';
import type { RequestRecord } from './request.ts';

export interface ExportOutcomeDeps {
  secret: string;
  /** base of the public API, e.g. https://privacy.jsm.be/v1 */
  publicBaseUrl: string;
  now: () => Date;
}

/** Makes every URL in a composed message clickable in its HTML part (compose escapes, so URLs stay intact). */
function linkify(message: Message, urls: string[]): Message {
  let html = message.html;
  for (const url of urls) {
    const safe = escapeHtml(url);
    html = html.replaceAll(safe, `<a href="${safe}">${safe}</a>`);
  }
  return { ...message, html };
}

/** Lines counting what each system holds, by system name: counts only. */
function perSystem(r: RequestRecord): string[] {
  const w = EXPORT_T[r.language];
  return systemExports(r).map((s) => {
    const name = SYSTEM_LABELS[s.system][r.language];
    return s.records > 0 ? w.systemCount(name, s.records) : w.systemNone(name);
  });
}

/** The mail to an organisation the subject named: English, naming JSM and the request, no other personal data. */
function recipientMessage(r: RequestRecord, organisation: string, url: string, expires: string): Message {
  const controller = loadProcessingRegister().controller;
  const subject = `${controller.name}: personal data transmitted at a data subject's request (GDPR Art. 20(2))`;
  const paragraphs = [
    `Dear ${organisation},`,
    `One of our customers asked ${controller.name} (${controller.address}, enterprise number ${controller.enterpriseNumber}) to transmit their personal data directly to ${organisation}, exercising the right to data portability (GDPR Article 20(2)), and confirmed that you are the organisation to receive it. Reference of the request: ${r.id}.`,
    `The data is a ZIP file with JSON and CSV files per system and a manifest.json listing every file's record count, categories and SHA-256 hash. Download it here: ${url}`,
    `The link is valid until ${expires}. Please do not forward it: anyone with the link can download the file. From the moment you receive the data you are responsible for it as a controller.`,
    `If you do not expect this transmission or cannot accept it, please tell us at ${controller.email.toLowerCase()} and delete this e-mail.`,
    `Kind regards,\nThe ${controller.name} privacy team`,
  ];
  const text = paragraphs.join('\n\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${paragraphs.map((p) => `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`).join('\n')}</body></html>`;
  return linkify({ subject, text, html }, [url]);
}

/** The outcome writer for access and portability requests; plug it into TellDeps.writers for both types. */
export function exportOutcomeWriter(deps: ExportOutcomeDeps): OutcomeWriter {
  return (r: RequestRecord): OutcomeMail[] => {
    if (r.type !== 'access' && r.type !== 'portability') {
      throw new Error(`No export outcome for ${r.type} requests`);
    }
    const pkg = r.package;
    // Assemble runs before Tell; without a package the link would lead nowhere, so fail and let Tell retry.
    if (!pkg) throw new Error(`Request ${r.id} has no assembled package`);
    if (Date.parse(pkg.expiresAt) <= deps.now().getTime()) {
      throw new Error(`The package of request ${r.id} has expired before the subject was told`);
    }
    const lang = r.language;
    const t = T[lang];
    const w = EXPORT_T[lang];
    const link = (file: DownloadFile, audience: DownloadAudience) =>
      downloadUrl(
        deps.publicBaseUrl,
        downloadToken(deps.secret, {
          requestId: r.id,
          file,
          subjectRef: r.subjectRef,
          audience,
          expiresAt: pkg.expiresAt,
        }),
      );
    const expires = formatDate(pkg.expiresAt, lang);
    const packageUrl = link('package', 'subject');

    if (r.type === 'access') {
      const reportUrl = pkg.reportKey ? link('report', 'subject') : undefined;
      const message = compose(lang, t.doneSubject(t.types.access), [
        w.accessReady,
        [...(reportUrl ? [w.reportLink(reportUrl)] : []), w.filesLink(packageUrl)],
        w.perSystem,
        perSystem(r),
        w.expires(expires),
        w.noAttachment,
        t.complaint,
      ]);
      return [
        {
          to: r.email,
          key: 'subject',
          message: linkify(message, [packageUrl, ...(reportUrl ? [reportUrl] : [])]),
        },
      ];
    }

    const inferredLeftOut = systemExports(r).some((s) => s.omitted.some((o) => o.reason === 'inferred'));
    const recipient = r.recipient;
    const mails: OutcomeMail[] = [];
    if (recipient) {
      const orgUrl = link('package', 'recipient');
      mails.push({
        to: recipient.email,
        key: 'recipient',
        message: recipientMessage(r, recipient.organisation, orgUrl, formatDate(pkg.expiresAt, 'en')),
      });
    }
    const message = compose(lang, t.doneSubject(t.types.portability), [
      w.portabilityReady,
      ...(recipient
        ? [w.sentTo(recipient.organisation, recipient.email, formatDate(recipient.confirmedAt, lang))]
        : []),
      recipient ? w.ownCopy(packageUrl) : w.packageLink(packageUrl),
      w.perSystem,
      perSystem(r),
      w.expires(expires),
      w.noAttachment,
      ...(inferredLeftOut ? [w.inferredElsewhere] : []),
      t.complaint,
    ]);
    mails.push({ to: r.email, key: 'subject', message: linkify(message, [packageUrl]) });
    return mails;
  };
}
