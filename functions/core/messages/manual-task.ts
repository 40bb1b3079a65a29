// The owner of a system without an API (P16, P17): the mail with the task's link, its reminder, and the task's
// page (templates/manual-task.eta), in the owner's language from the system's configuration (P18 words).
// The mail names no one: the request id, the operation and the link; the page behind the link shows the rest.
import type { ManualOperation, ManualSystem } from '../../connectors/generic/manual/config.ts';
import type { Language } from '../schemas.ts';
import { formatDate, LANGUAGES, label, type MessageKey, t } from './catalog.ts';
import { type Message, mail } from './compose.ts';
import { render } from './render.ts';

export type OwnerMailKind = 'opened' | 'reminder';

export interface OwnerMailFacts {
  requestId: string;
  operation: ManualOperation;
  dueAt: string;
  expiresAt: string;
  url: string;
}

/** The system's name in a language: its configured label. */
export const systemLabel = (config: ManualSystem, lang: Language) => config.label[lang];

/** The mail to the owner when a task opens, or its reminder. */
export function ownerMail(kind: OwnerMailKind, config: ManualSystem, facts: OwnerMailFacts): Message {
  const lang = config.owner.language;
  const values = {
    system: systemLabel(config, lang),
    operation: t(lang, `task.short.${facts.operation}` as MessageKey),
    requestId: facts.requestId,
  };
  const subject = t(lang, kind === 'opened' ? 'task.mailSubject' : 'task.reminderSubject', values);
  const paragraphs = [
    t(lang, 'task.mailBody', {
      ...values,
      operation: t(lang, `task.op.${facts.operation}` as MessageKey),
      date: formatDate(facts.dueAt, lang),
    }),
    t(lang, 'task.mailLink', { url: facts.url }),
    t(lang, 'task.mailPrivate', { expires: formatDate(facts.expiresAt, lang) }),
    t(lang, 'mail.closing'),
  ];
  return mail(lang, subject, paragraphs, [facts.url]);
}

/** What the page shows of the subject: only what the owner needs to find them and do the work. */
export interface TaskSubject {
  email?: string;
  customerNumber?: string;
  /** rectification: the field and its new value */
  changes?: { field: string; value: string }[];
  /** objection: the purposes to stop */
  scope?: string[];
}

export type TaskPageState =
  | { kind: 'form'; requestId: string; operation: ManualOperation; dueAt: string; subject: TaskSubject }
  | { kind: 'answered' | 'already_answered' | 'invalid' }
  | { kind: 'bad_answer'; reason: 'counts' | 'file' | 'size' | 'format' };

/** The task's page: the form, the thanks, or why nothing was recorded. */
export function taskPage(lang: Language, config: ManualSystem | undefined, state: TaskPageState): string {
  const languages = LANGUAGES.filter((l) => l !== lang).map((l) => ({ code: l, name: t(l, 'languageName') }));
  const system = config ? systemLabel(config, lang) : '';
  const base = { state: state.kind, system, languages };
  if (state.kind === 'bad_answer')
    return render('manual-task', lang, {
      ...base,
      reason: t(lang, `task.reason.${state.reason}` as MessageKey),
    });
  if (state.kind !== 'form' || !config) return render('manual-task', lang, base);
  const { operation, subject } = state;
  return render('manual-task', lang, {
    ...base,
    operation,
    intro: t(lang, 'task.intro', {
      requestId: state.requestId,
      operation: t(lang, `task.op.${operation}` as MessageKey),
      date: formatDate(state.dueAt, lang),
    }),
    subject: {
      ...subject,
      changes: subject.changes?.map((c) => ({ field: label('field', c.field, lang), value: c.value })),
      scope: subject.scope?.map((s) => label('purpose', s, lang)),
    },
    categories: config.categories.map((c) => ({
      code: c,
      label: t(lang, 'task.count', { category: label('category', c, lang), operation }),
    })),
    upload: {
      accept: config.upload.formats.map((f) => `.${f}`).join(','),
      text: t(lang, 'task.upload', {
        formats: config.upload.formats.map((f) => f.toUpperCase()).join(', '),
        size: Math.round((config.upload.maxBytes / 1024 / 1024) * 10) / 10,
      }),
    },
  });
}
