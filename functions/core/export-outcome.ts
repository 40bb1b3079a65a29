// The outcome mails of access (P1) and portability (P7) requests: links to the assembled files, never the files
// themselves; the expiry date; the complaint authority (P10); in the subject's language (P18). A portability
// request with a confirmed recipient organisation (Art. 20(2)) also mails that organisation its own link.
import { type DownloadAudience, type DownloadFile, downloadToken, downloadUrl } from './download-token.ts';
import { accessMessage, formatDate, portabilityMessage, recipientMessage } from './messages/index.ts';
import { leftOutReasons, systemExports } from './package.ts';
import type { OutcomeMail, OutcomeWriter } from './progress.ts';
import { loadProcessingRegister } from './registers/index.ts';
import type { RequestRecord } from './request.ts';

export interface ExportOutcomeDeps {
  secret: string;
  /** base of the public API, e.g. https://privacy.jsm.be/v1 */
  publicBaseUrl: string;
  now: () => Date;
}

/** What each system holds, by system: counts only. */
const counts = (r: RequestRecord) => systemExports(r).map((s) => ({ system: s.system, records: s.records }));

type Link = (file: DownloadFile, audience: DownloadAudience) => string;

/** The signed links to a request's assembled files, as the outcome mail carries them (download-token.ts). */
function linker(
  deps: Pick<ExportOutcomeDeps, 'secret' | 'publicBaseUrl'>,
  r: RequestRecord,
  expiresAt: string,
): Link {
  return (file, audience) =>
    downloadUrl(
      deps.publicBaseUrl,
      downloadToken(deps.secret, { requestId: r.id, file, subjectRef: r.subjectRef, audience, expiresAt }),
    );
}

/**
 * The subject's own links once they were mailed them and until the files expire: the same ones the outcome mail
 * carries (the report for an access request, the files for both), for the privacy centre's status view (P1, P7).
 */
export function subjectDownload(deps: ExportOutcomeDeps, r: RequestRecord) {
  const pkg = r.package;
  if ((r.type !== 'access' && r.type !== 'portability') || !pkg || !r.toldAt) return undefined;
  if (Date.parse(pkg.expiresAt) <= deps.now().getTime()) return undefined;
  const link = linker(deps, r, pkg.expiresAt);
  return {
    url: link('package', 'subject'),
    ...(r.type === 'access' && pkg.reportKey ? { reportUrl: link('report', 'subject') } : {}),
    expiresAt: pkg.expiresAt,
  };
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
    const link = linker(deps, r, pkg.expiresAt);
    const expires = formatDate(pkg.expiresAt, lang);
    const packageUrl = link('package', 'subject');

    if (r.type === 'access') {
      const reportUrl = pkg.reportKey ? link('report', 'subject') : undefined;
      const message = accessMessage(lang, {
        ...(reportUrl ? { reportUrl } : {}),
        packageUrl,
        systems: counts(r),
        expires,
      });
      return [{ to: r.email, key: 'subject', message }];
    }

    // Only an organisation the subject confirmed when verifying gets the package (Art. 20(2)).
    const confirmedAt = r.recipient?.confirmedAt;
    const recipient = confirmedAt ? r.recipient : undefined;
    const mails: OutcomeMail[] = [];
    if (recipient) {
      const orgUrl = link('package', 'recipient');
      mails.push({
        to: recipient.email,
        key: 'recipient',
        message: recipientMessage({
          controller: loadProcessingRegister().controller,
          organisation: recipient.organisation,
          requestId: r.id,
          url: orgUrl,
          expires: formatDate(pkg.expiresAt, 'en'),
        }),
      });
    }
    const message = portabilityMessage(lang, {
      packageUrl,
      systems: counts(r),
      expires,
      leftOut: leftOutReasons(r),
      ...(recipient && confirmedAt
        ? {
            sentTo: {
              organisation: recipient.organisation,
              email: recipient.email,
              date: formatDate(confirmedAt, lang),
            },
          }
        : {}),
    });
    mails.push({ to: r.email, key: 'subject', message });
    return mails;
  };
}
