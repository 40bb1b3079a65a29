// The mails of the request lifecycle, in Dutch, French or English (P18). Every answer names the complaint
// authority (P10) and the company's privacy contact; a refusal also names the right to go to court.
import type { Language, Outcome, RejectionReason, RequestType, SystemName } from '../schemas.ts';
import { english, formatDate, LANGUAGES, label, labels, t } from './catalog.ts';
import { blocks, compose, type Message, mail, mailHtml, type Paragraph, plainText } from './compose.ts';
import { render } from './render.ts';

const typeName = (lang: Language, type: RequestType) => label('type', type, lang);

/** The code mail's paragraphs in one language, greeting to closing. */
function codeParagraphs(lang: Language, type: RequestType, code: string): Paragraph[] {
  return [
    t(lang, 'mail.greeting'),
    t(lang, 'mail.codeBody', { type: typeName(lang, type), code }),
    t(lang, 'mail.contact'),
    t(lang, 'mail.closing'),
  ];
}

/**
 * The one-time code mail (P8), in the language of the form; when the form named none, in all three, since
 * nothing about the subject is looked up before verification.
 */
export function verificationMessage(lang: Language | undefined, type: RequestType, code: string): Message {
  if (lang) return mail(lang, t(lang, 'mail.codeSubject'), codeParagraphs(lang, type, code));
  const subject = LANGUAGES.map((l) => t(l, 'mail.codeSubject')).join(' / ');
  // Each language's text, a blank line starting a new paragraph.
  const sections = LANGUAGES.map((l) => ({
    lang: l,
    blocks: blocks(plainText(codeParagraphs(l, type, code)).split('\n\n')),
  }));
  return {
    subject,
    text: LANGUAGES.map((l) => plainText(codeParagraphs(l, type, code))).join('\n\n---\n\n'),
    html: mailHtml('nl', { subject, sections }),
  };
}

function describeRetained(lang: Language, o: Extract<Outcome, { kind: 'retained' }>): string {
  return t(lang, 'mail.retained', {
    records: o.records,
    category: label('category', o.category, lang),
    ground: label('ground', o.ground, lang),
    until: formatDate(o.until, lang),
    kept: labels('field', o.kept, lang),
  });
}

function describeOutcome(lang: Language, o: Outcome): string | undefined {
  switch (o.kind) {
    case 'retained':
      return describeRetained(lang, o);
    case 'skipped':
      return t(lang, 'mail.skipped', { reason: label('skip', o.reason, lang) });
    case 'rectified':
      return t(lang, 'mail.rectified', { fields: labels('field', o.fields, lang) });
    case 'withdrawn':
      return t(lang, 'mail.withdrawn', { purposes: labels('purpose', o.purposes, lang) });
    case 'suppressed':
      return t(lang, 'mail.suppressed', { lists: labels('purpose', o.lists, lang) });
    // Never reached: a request with a failed system is not reported as done.
    case 'failed':
      throw new Error('A failed outcome cannot be reported to the subject');
    default:
      return undefined;
  }
}

/** One line for what a system erased, and one per group of records it kept (with ground and date). */
function describeSystem(lang: Language, system: SystemName, outcomes: Outcome[]): string[] {
  const line = (text: string) =>
    t(lang, 'mail.systemLine', { system: label('system', system, lang), line: text });
  const erased = outcomes.flatMap((o) =>
    o.kind === 'erased'
      ? [
          t(lang, 'mail.erasedItem', {
            category: label('category', o.category, lang),
            records: String(o.records),
          }),
        ]
      : [],
  );
  const lines: string[] = [];
  if (erased.length > 0) lines.push(line(t(lang, 'mail.erased', { list: erased.join(', ') })));
  for (const o of outcomes) {
    const text = describeOutcome(lang, o);
    if (text !== undefined) lines.push(line(text));
  }
  if (lines.length === 0) lines.push(line(t(lang, 'mail.notFound')));
  return lines;
}

const INTRO = {
  erasure: 'mail.erasedIntro',
  rectification: 'mail.rectifiedIntro',
  objection: 'mail.objectionIntro',
} as const;

/**
 * What an erasure, rectification or objection did in each system: what changed, what was kept, on which ground
 * and until when (P2, P3, P6), with the right to complain (P10).
 */
export function resultMessage(
  lang: Language,
  type: 'erasure' | 'rectification' | 'objection',
  systems: { system: SystemName; outcomes: Outcome[] }[],
  informed: string[] = [],
): Message {
  const lines = systems.flatMap(({ system, outcomes }) => describeSystem(lang, system, outcomes));
  // Art. 19: the subject may learn who was told.
  const told = informed.length > 0 ? [t(lang, 'mail.informed', { names: informed.join(', ') })] : [];
  return compose(lang, t(lang, 'mail.doneSubject', { type: typeName(lang, type) }), [
    t(lang, INTRO[type]),
    lines,
    ...told,
    t(lang, 'mail.complaint'),
  ]);
}

/** A refusal names its reason, the complaint authority and the right to go to court (Art. 12(4)). */
export function rejectionMessage(lang: Language, type: RequestType, reason: RejectionReason): Message {
  return compose(lang, t(lang, 'mail.rejectedSubject', { type: typeName(lang, type) }), [
    label('rejected', reason, lang),
    t(lang, 'mail.complaint'),
    t(lang, 'mail.court'),
  ]);
}

/** Staff notices carry the request id and due date only; staff read the rest in the console. */
const STAFF_SUBJECTS = {
  approval_needed: 'staff.approvalNeeded',
  approval_reminder: 'staff.approvalReminder',
  identity_check_needed: 'staff.identityCheckNeeded',
  identity_check_reminder: 'staff.identityCheckReminder',
} as const;

export function staffMessage(kind: keyof typeof STAFF_SUBJECTS, requestId: string, dueAt: string): Message {
  const subject = english(STAFF_SUBJECTS[kind], { requestId });
  const text = english('staff.body', { subject, date: formatDate(dueAt, 'en'), dueAt });
  return { subject, text, html: render('staff-notice', 'en', { text }) };
}
