// The mails about a request's period (P9): the notice that it is extended, with the reason, and the notice that an
// unconfirmed request has lapsed, with how to start again. Both name the complaint authority (P10).
import type { ExtensionReason, Language, RequestType } from '../schemas.ts';
import { formatDate, label, t } from './catalog.ts';
import type { Message } from './compose.ts';
import { framed, inLanguages } from './mails.ts';

/** The dates an extension notice names: receipt, the first due date and the new one (ISO instants). */
export interface ExtensionDates {
  receivedAt: string;
  firstDueAt: string;
  dueAt: string;
}

/**
 * The extension notice (Art. 12(3)): received when, due when, the reason, the new due date, and the right to
 * complain. In the subject's language, or in all three when none is known (P18).
 */
export function extensionMessage(
  lang: Language | undefined,
  type: RequestType,
  reason: ExtensionReason,
  dates: ExtensionDates,
): Message {
  return inLanguages(
    lang,
    (l) => t(l, 'mail.extendedSubject', { type: label('type', type, l) }),
    (l) =>
      framed(l, [
        t(l, 'mail.extendedReceived', {
          type: label('type', type, l),
          received: formatDate(dates.receivedAt, l),
          firstDue: formatDate(dates.firstDueAt, l),
        }),
        t(l, `extended.${reason}`),
        t(l, 'mail.extendedUntil', { due: formatDate(dates.dueAt, l) }),
        t(l, 'mail.complaint'),
      ]),
  );
}

/**
 * The notice that a request never confirmed has lapsed: no data was looked up or changed, the address goes, and how
 * to file again. In the form's language, or in all three when it named none (nothing was looked up to know more).
 */
export function expiryMessage(
  lang: Language | undefined,
  type: RequestType,
  receivedAt: string,
  days: number,
): Message {
  return inLanguages(
    lang,
    (l) => t(l, 'mail.expiredSubject', { type: label('type', type, l) }),
    (l) =>
      framed(l, [
        t(l, 'mail.expiredBody', { type: label('type', type, l), received: formatDate(receivedAt, l), days }),
        t(l, 'mail.expiredAgain'),
        t(l, 'mail.complaint'),
      ]),
  );
}
