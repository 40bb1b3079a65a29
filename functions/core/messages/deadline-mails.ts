// The mails of the deadline sweep (P9, Art. 12(3)–(4)): the interim answer to a subject whose request is not done
// as its due date nears, and the staff reminders at each step. The interim answer never reports pending work as
// done; like every answer it names the complaint authority and, since part of the request is not acted on, the court.
import type { Language, RequestType, SystemName } from '../schemas.ts';
import { english, formatDate, label, t } from './catalog.ts';
import { compose, type Message } from './compose.ts';
import { render } from './render.ts';

/** Where a request stands when the interim answer goes, with no personal data. */
export interface InterimFacts {
  type: RequestType;
  /** systems that acted, and systems still to act (failed, or never reached) */
  done: SystemName[];
  pending: SystemName[];
  /** the workflow itself failed, not (only) a system */
  workflowFailed: boolean;
  /** the due date in force */
  dueAt: string;
  /** how the period stands: extended, still extendable, or past */
  period: 'extended' | 'extendable' | 'late';
}

const systems = (lang: Language, names: SystemName[]) =>
  names.map((s) => label('system', s, lang)).join(', ');

/** The interim answer, in the subject's language (P18): done, pending, why, the extension or the delay, P10. */
export function interimMessage(lang: Language, facts: InterimFacts): Message {
  const type = label('type', facts.type, lang);
  const date = formatDate(facts.dueAt, lang);
  const why = facts.workflowFailed
    ? t(lang, 'interim.whyWorkflow')
    : t(lang, 'interim.whySystems', { count: facts.pending.length });
  const paragraphs = [
    t(lang, 'interim.intro', { type }),
    [
      facts.done.length > 0
        ? t(lang, 'interim.done', { systems: systems(lang, facts.done) })
        : t(lang, 'interim.noneDone'),
      facts.pending.length > 0
        ? t(lang, 'interim.pending', { systems: systems(lang, facts.pending) })
        : t(lang, 'interim.answerPending'),
    ],
    why,
    t(lang, `interim.${facts.period}`, { date }),
    t(lang, 'interim.notDone'),
    t(lang, 'mail.complaint'),
    t(lang, 'mail.court'),
  ];
  return compose(lang, t(lang, 'interim.subject', { type }), paragraphs);
}

/** A staff reminder carries the request id, its status and the due date only; staff read the rest in the console. */
export function deadlineStaffMessage(
  step: 'reminder' | 'overdue',
  requestId: string,
  status: string,
  dueAt: string,
  daysLeft: number,
): Message {
  const subject =
    step === 'overdue'
      ? english('staff.deadlineOverdue', { requestId, status })
      : english('staff.deadlineReminder', { requestId, status, days: Math.max(1, Math.ceil(daysLeft)) });
  const text = english('staff.deadlineBody', { subject, date: formatDate(dueAt, 'en'), dueAt });
  return { subject, text, html: render('staff-notice', 'en', { text }) };
}
