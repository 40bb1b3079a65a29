// The outcome mails of access (P1) and portability (P7) requests: links to the assembled files, never the files
// themselves; the expiry date; the complaint authority (P10); in the subject's language (P18). The mail to an
// organisation the subject named (Art. 20(2)) is in English and names only JSM and the request.
import type { Language, LeftOutReason, SystemName } from '../schemas.ts';
import { english, label, t } from './catalog.ts';
import { compose, type Message, mail } from './compose.ts';

/** What one system holds, as counted for the mail: counts only. */
export interface SystemCount {
  system: SystemName;
  records: number;
}

const perSystem = (lang: Language, systems: SystemCount[]) =>
  systems.map(({ system, records }) => {
    const name = label('system', system, lang);
    return records > 0
      ? t(lang, 'exportMail.systemCount', { system: name, count: records })
      : t(lang, 'exportMail.systemNone', { system: name });
  });

const doneSubject = (lang: Language, type: 'access' | 'portability') =>
  t(lang, 'mail.doneSubject', { type: label('type', type, lang) });

/** The access answer: the report link (once assembled), the files link, counts per system, expiry (P1). */
export function accessMessage(
  lang: Language,
  a: { reportUrl?: string; packageUrl: string; systems: SystemCount[]; expires: string },
): Message {
  const links = [
    ...(a.reportUrl ? [t(lang, 'exportMail.reportLink', { url: a.reportUrl })] : []),
    t(lang, 'exportMail.filesLink', { url: a.packageUrl }),
  ];
  return compose(
    lang,
    doneSubject(lang, 'access'),
    [
      t(lang, 'exportMail.accessReady'),
      links,
      t(lang, 'exportMail.perSystem'),
      perSystem(lang, a.systems),
      t(lang, 'exportMail.expires', { date: a.expires }),
      t(lang, 'exportMail.noAttachment'),
      t(lang, 'mail.complaint'),
    ],
    [a.packageUrl, ...(a.reportUrl ? [a.reportUrl] : [])],
  );
}

/** The portability answer (P7); `sentTo` when a confirmed organisation also got its own link. */
export function portabilityMessage(
  lang: Language,
  p: {
    packageUrl: string;
    systems: SystemCount[];
    expires: string;
    /** why records stayed out of the package (P7, Art. 20(1)); each reason gets its line */
    leftOut: readonly LeftOutReason[];
    sentTo?: { organisation: string; email: string; date: string };
  },
): Message {
  return compose(
    lang,
    doneSubject(lang, 'portability'),
    [
      t(lang, 'exportMail.portabilityReady'),
      ...(p.sentTo ? [t(lang, 'exportMail.sentTo', p.sentTo)] : []),
      p.sentTo
        ? t(lang, 'exportMail.ownCopy', { url: p.packageUrl })
        : t(lang, 'exportMail.packageLink', { url: p.packageUrl }),
      t(lang, 'exportMail.perSystem'),
      perSystem(lang, p.systems),
      t(lang, 'exportMail.expires', { date: p.expires }),
      t(lang, 'exportMail.noAttachment'),
      ...(p.leftOut.length > 0
        ? [t(lang, 'exportMail.leftOutIntro'), p.leftOut.map((reason) => t(lang, `leftOut.${reason}`))]
        : []),
      t(lang, 'mail.complaint'),
    ],
    [p.packageUrl],
  );
}

/** The mail to an organisation the subject named: English, naming JSM and the request, no other personal data. */
export function recipientMessage(r: {
  controller: { name: string; address: string; enterpriseNumber: string; email: string };
  organisation: string;
  requestId: string;
  url: string;
  expires: string;
}): Message {
  const { controller, organisation } = r;
  const subject = english('recipient.subject', { controller: controller.name });
  return mail(
    'en',
    subject,
    [
      english('recipient.greeting', { organisation }),
      english('recipient.asked', {
        controller: controller.name,
        address: controller.address,
        enterpriseNumber: controller.enterpriseNumber,
        organisation,
        requestId: r.requestId,
      }),
      english('recipient.data', { url: r.url }),
      english('recipient.expires', { date: r.expires }),
      english('recipient.unexpected', { email: controller.email.toLowerCase() }),
      english('recipient.closing', { controller: controller.name }),
    ],
    [r.url],
  );
}
