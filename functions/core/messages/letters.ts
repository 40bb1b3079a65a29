// A request staff registered (P4, P12): its acknowledgement, and any answer as a printable letter. A letter has the
// mail's own words (the same catalogs, turned back into blocks from the text part) in templates/letter.eta, with the
// sender, the address block, the place and date and our reference; its print style sheet comes from /assets.
import type { Channel, Language, RequestType } from '../schemas.ts';
import { formatDate, label, t } from './catalog.ts';
import { blocks, type Message, type Paragraph } from './compose.ts';
import { framed, inLanguages } from './mails.ts';
import { render } from './render.ts';

/** What an acknowledgement names: dates, how the request came in, and which check staff make before acting. */
export interface AcknowledgementFacts {
  type: RequestType;
  channel: Channel;
  receivedAt: string;
  dueAt: string;
  check: 'identity' | 'authority';
}

/** The acknowledgement of a registered request: received when and how, due when, and the check before acting. */
export function acknowledgementMessage(lang: Language, facts: AcknowledgementFacts): Message {
  return inLanguages(
    lang,
    (l) => t(l, 'ack.subject', { type: label('type', facts.type, l) }),
    (l) =>
      framed(l, [
        t(l, 'ack.received', {
          type: label('type', facts.type, l),
          received: formatDate(facts.receivedAt, l),
          channel: facts.channel,
          due: formatDate(facts.dueAt, l),
        }),
        t(l, facts.check === 'authority' ? 'ack.checkAuthority' : 'ack.checkIdentity'),
        t(l, 'mail.complaint'),
      ]),
  );
}

const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;

/** The paragraphs of a mail's text part (compose.ts plainText): blank lines between, lists as `- ` lines. */
function paragraphsOf(text: string): Paragraph[] {
  return text
    .split(/\n{2,}/)
    .map((p) => {
      const lines = p.split('\n');
      return lines.every((l) => l.startsWith('- ')) ? lines.map((l) => l.slice(2)) : p;
    })
    .filter((p) => p.length > 0);
}

/** Where a letter goes and what it says around the mail's words. */
export interface LetterFacts {
  requestId: string;
  /** the address block, one line each: the representative's name first where one acts (P12) */
  to: string[];
  /** when it was written, ISO 8601 */
  at: string;
  /** the print style sheet's URL (the API's /assets/letter.css) */
  stylesheet: string;
}

/** A printable letter of a mail, in `lang`: an HTML page without inline style or script (it renders under the CSP). */
export function letterHtml(lang: Language, message: Message, facts: LetterFacts): string {
  const urls = [...new Set(message.text.match(URL_PATTERN) ?? [])];
  return render('letter', lang, {
    subject: message.subject,
    sender: t(lang, 'letter.sender').split('\n'),
    to: facts.to,
    dated: t(lang, 'letter.dated', { date: formatDate(facts.at, lang) }),
    reference: t(lang, 'letter.reference', { id: facts.requestId }),
    stylesheet: facts.stylesheet,
    blocks: blocks(paragraphsOf(message.text), urls),
  });
}
