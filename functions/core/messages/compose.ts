// A mail as text and HTML from the same paragraphs. The HTML is rendered by templates/mail.eta, which escapes
// every word; URLs the caller names become links there, never by editing markup afterwards.
import type { Language } from '../schemas.ts';
import { t } from './catalog.ts';
import { render } from './render.ts';

/** A mail: its subject, its text part and its HTML part. */
export interface Message {
  subject: string;
  text: string;
  html: string;
}

/** A paragraph of a mail: text (a newline is a line break), or a list of lines when it is an array. */
export type Paragraph = string | string[];

/** A piece of a line: plain text, or a URL shown as a link to itself. */
export type Segment = { text: string } | { url: string };
/** A block of the HTML part: a paragraph of lines, or a list of items. */
export type Block = { kind: 'p'; lines: Segment[][] } | { kind: 'ul'; items: Segment[][] };
/** The HTML part's view: one section per language (the code mail to an unknown language has three). */
export interface MailView {
  subject: string;
  sections: { lang: Language; blocks: Block[] }[];
}

/** Splits text around each of the URLs, so the template can link them. */
export function segments(text: string, urls: readonly string[]): Segment[] {
  let parts: Segment[] = [{ text }];
  for (const url of urls) {
    parts = parts.flatMap((p): Segment[] =>
      'text' in p
        ? p.text
            .split(url)
            .flatMap((piece, i): Segment[] => (i === 0 ? [{ text: piece }] : [{ url }, { text: piece }]))
        : [p],
    );
  }
  return parts.filter((p) => !('text' in p) || p.text !== '');
}

/** The HTML blocks of some paragraphs. */
export const blocks = (paragraphs: Paragraph[], urls: readonly string[] = []): Block[] =>
  paragraphs.map((p) =>
    Array.isArray(p)
      ? { kind: 'ul', items: p.map((line) => segments(line, urls)) }
      : { kind: 'p', lines: p.split('\n').map((line) => segments(line, urls)) },
  );

/** The text part of some paragraphs: lists as `- ` lines, paragraphs apart by a blank line. */
export const plainText = (paragraphs: Paragraph[]): string =>
  paragraphs.map((p) => (Array.isArray(p) ? p.map((l) => `- ${l}`).join('\n') : p)).join('\n\n');

/** Renders a mail view to its HTML document. */
export const mailHtml = (lang: Language, view: MailView): string => render('mail', lang, view);

/** A mail of exactly these paragraphs, in `lang`; `links` are URLs in them to make clickable. */
export function mail(
  lang: Language,
  subject: string,
  paragraphs: Paragraph[],
  links: readonly string[] = [],
): Message {
  const view: MailView = { subject, sections: [{ lang, blocks: blocks(paragraphs, links) }] };
  return { subject, text: plainText(paragraphs), html: mailHtml(lang, view) };
}

/** A mail to a subject: greeting, the paragraphs, the privacy contact and the closing, in their language. */
export function compose(
  lang: Language,
  subject: string,
  paragraphs: Paragraph[],
  links: readonly string[] = [],
): Message {
  const all = [t(lang, 'mail.greeting'), ...paragraphs, t(lang, 'mail.contact'), t(lang, 'mail.closing')];
  return mail(lang, subject, all, links);
}
