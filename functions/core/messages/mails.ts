// The mails of the request lifecycle, in Dutch, French or English (P18). Every answer names the complaint
// authority (P10) and the company's privacy contact; a refusal also names the right to go to court.
import type { Language, Outcome, RejectionReason, RequestType, SystemName } from '../schemas.ts';
import { english, formatDate, knownLabel, LANGUAGES, label, labels, semicolon, t } from './catalog.ts';
import { blocks, compose, type Message, mail, mailHtml, type Paragraph, plainText } from './compose.ts';
import { render } from './render.ts';

const typeName = (lang: Language, type: RequestType) => label('type', type, lang);

/** The requests whose answer lists what happened in each system. */
type ResultType = 'erasure' | 'rectification' | 'objection';

/** A subject's mail in paragraphs, greeting to closing. */
export const framed = (lang: Language, body: Paragraph[]): Paragraph[] => [
  t(lang, 'mail.greeting'),
  ...body,
  t(lang, 'mail.contact'),
  t(lang, 'mail.closing'),
];

/**
 * A mail in `lang`; when the form named none, in all three, one section each, since nothing about the subject is
 * looked up before verification (P18). A blank line in a paragraph starts a new one.
 */
export function inLanguages(
  lang: Language | undefined,
  subject: (l: Language) => string,
  paragraphs: (l: Language) => Paragraph[],
): Message {
  if (lang) return mail(lang, subject(lang), paragraphs(lang));
  const all = LANGUAGES.map(subject).join(' / ');
  const split = (l: Language) =>
    paragraphs(l).flatMap((p): Paragraph[] => (Array.isArray(p) ? [p] : p.split('\n\n')));
  const sections = LANGUAGES.map((l) => ({ lang: l, blocks: blocks(split(l)) }));
  return {
    subject: all,
    text: LANGUAGES.map((l) => plainText(paragraphs(l))).join('\n\n---\n\n'),
    html: mailHtml('nl', { subject: all, sections }),
  };
}

/**
 * The one-time code mail (P8), in the language of the form, or in all three when the form named none. A transfer
 * to another organisation (Art. 20(2)) is named here, so the subject confirms it knowing where the data goes.
 */
export function verificationMessage(
  lang: Language | undefined,
  type: RequestType,
  code: string,
  transfer?: { organisation: string; email: string },
): Message {
  return inLanguages(
    lang,
    (l) => t(l, 'mail.codeSubject'),
    (l) =>
      framed(l, [
        t(l, 'mail.codeBody', { type: typeName(l, type), code }),
        ...(transfer ? [t(l, 'mail.codeTransfer', transfer)] : []),
      ]),
  );
}

type Retained = Extract<Outcome, { kind: 'retained' }>;

// An open claim ends when it is settled, at the latest on its limitation date; a contract runs on until it ends.
const UNTIL = { open_claim: 'mail.claimUntil', running_contract: 'mail.contractUntil' } as const;

/** One ground with its date, as the subject reads it. */
function groundUntil(lang: Language, p: { ground: string; until: string }): string {
  const key = UNTIL[p.ground as keyof typeof UNTIL] ?? 'mail.groundUntil';
  return t(lang, key, { ground: label('ground', p.ground, lang), until: formatDate(p.until, lang) });
}

/** A kept field's name: as the mail words it, else as the access report does. */
export const keptLabel = (field: string, lang: Language) =>
  knownLabel('field', field, lang) ?? label('reportField', field, lang);
const keptLabels = (fields: string[], lang: Language) => fields.map((f) => keptLabel(f, lang)).join(', ');

function describeRetained(lang: Language, o: Retained): string {
  // An issued invoice is kept as issued (a correction is a credit note): not restricted, and no purge to announce.
  if (o.ground === 'issued_invoice')
    return t(lang, 'mail.issuedUnchanged', { records: o.records, ground: label('ground', o.ground, lang) });
  // Every ground the records are kept on, each with its own date (P3: what, on which ground, until when).
  const periods = o.periods && o.periods.length > 0 ? o.periods : [{ ground: o.ground, until: o.until }];
  return t(lang, 'mail.retained', {
    records: o.records,
    category: label('category', o.category, lang),
    grounds: periods.map((p) => groundUntil(lang, p)).join(semicolon(lang)),
    kept: keptLabels(o.kept, lang),
  });
}

function describeOutcome(lang: Language, o: Outcome, type: ResultType): string | undefined {
  switch (o.kind) {
    case 'retained':
      return describeRetained(lang, o);
    case 'skipped':
      return t(lang, 'mail.skipped', { reason: label('skip', o.reason, lang) });
    case 'rectified':
      return t(lang, 'mail.rectified', { fields: labels('field', o.fields, lang) });
    case 'withdrawn':
      return t(lang, 'mail.withdrawn', { purposes: labels('purpose', o.purposes, lang) });
    case 'objected':
      return t(lang, 'mail.objected', {
        records: o.records,
        category: label('category', o.category, lang),
        purposes: labels('purpose', o.purposes, lang),
      });
    case 'suppressed':
      // After an erasure the entry is what is kept: say what it holds, why and for how long (P3).
      return t(lang, type === 'erasure' ? 'mail.suppressedErased' : 'mail.suppressed', {
        lists: labels('purpose', o.lists, lang),
      });
    // Never reached: a request with a failed system is not reported as done.
    case 'failed':
      throw new Error('A failed outcome cannot be reported to the subject');
    default:
      return undefined;
  }
}

/** One line for what a system erased, and one per group of records it kept (with ground and date). */
function describeSystem(lang: Language, type: ResultType, system: SystemName, outcomes: Outcome[]): string[] {
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
    const text = describeOutcome(lang, o, type);
    if (text !== undefined) lines.push(line(text));
  }
  if (lines.length === 0) lines.push(line(t(lang, 'mail.notFound')));
  return lines;
}

/** Whether the answer lists anything as still held: records kept on a ground, or a suppression entry. */
const keptAny = (systems: { outcomes: Outcome[] }[]) =>
  systems.some((s) => s.outcomes.some((o) => o.kind === 'retained' || o.kind === 'suppressed'))
    ? 'some'
    : 'none';

const INTRO = {
  erasure: 'mail.erasedIntro',
  rectification: 'mail.rectifiedIntro',
  objection: 'mail.objectionIntro',
} as const;

/** Names of the recipients a request affects: those that acknowledged its notice, and those still being told. */
export interface RecipientsTold {
  told: string[];
  pending: string[];
}

const TOLD = {
  erasure: { told: 'mail.informed', pending: 'mail.willInform', none: undefined },
  rectification: { told: 'mail.informed', pending: 'mail.willInform', none: 'mail.noRecipientHadIt' },
  objection: { told: 'mail.instructed', pending: 'mail.willInstruct', none: undefined },
} as const;

/**
 * Art. 19: the subject may learn who was told. Only what happened: "told" for an acknowledged notice, "will be told"
 * for one still unanswered, and no claim at all when no recipient had the data.
 */
function recipientLines(lang: Language, type: ResultType, { told, pending }: RecipientsTold): string[] {
  const keys = TOLD[type];
  const lines: string[] = [];
  if (told.length > 0) lines.push(t(lang, keys.told, { names: told.join(', ') }));
  if (pending.length > 0) lines.push(t(lang, keys.pending, { names: pending.join(', ') }));
  if (lines.length === 0 && keys.none) lines.push(t(lang, keys.none));
  return lines;
}

/**
 * What an erasure, rectification or objection did in each system: what changed, what was kept, on which ground
 * and until when (P2, P3, P6), whom we told (P13), with the right to complain (P10).
 */
export function resultMessage(
  lang: Language,
  type: ResultType,
  systems: { system: SystemName; outcomes: Outcome[] }[],
  recipients: RecipientsTold = { told: [], pending: [] },
  /** an erasure: when the backups that still hold the data age out (P3), and how long they are kept */
  backups?: { until: string; days: number },
): Message {
  const lines = systems.flatMap(({ system, outcomes }) => describeSystem(lang, type, system, outcomes));
  const told = recipientLines(lang, type, recipients);
  if (type === 'erasure' && backups)
    told.push(t(lang, 'mail.backups', { date: formatDate(backups.until, lang), days: backups.days }));
  // P3: an erasure is answered only once a fresh look in every system agreed with what is listed (core/recheck.ts).
  const rechecked = type === 'erasure' ? [t(lang, 'mail.erasureRechecked', { kept: keptAny(systems) })] : [];
  // One objects; one does not "request an objection": the subject says what was done with it.
  const subject =
    type === 'objection'
      ? t(lang, 'mail.objectionSubject')
      : t(lang, 'mail.doneSubject', { type: typeName(lang, type) });
  return compose(lang, subject, [
    t(lang, INTRO[type]),
    lines,
    ...rechecked,
    ...told,
    t(lang, 'mail.complaint'),
  ]);
}

/**
 * A refusal gives its reasons (Art. 12(4)): the code's own explanation, or for `other` staff's explanation as
 * written, then the complaint authority and the right to go to court. In the subject's language, or in all three
 * when the form named none and nothing told us theirs (a refusal after five wrong codes).
 */
export function rejectionMessage(
  lang: Language | undefined,
  type: RequestType,
  reason: RejectionReason,
  explanation?: string,
): Message {
  const why = (l: Language): Paragraph[] => {
    if (reason !== 'other') return [label('rejected', reason, l)];
    return explanation ? [t(l, 'rejected.other'), explanation.trim()] : [t(l, 'rejected.otherUnexplained')];
  };
  return inLanguages(
    lang,
    (l) => t(l, 'mail.rejectedSubject', { type: typeName(l, type) }),
    (l) => framed(l, [...why(l), t(l, 'mail.complaint'), t(l, 'mail.court')]),
  );
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
