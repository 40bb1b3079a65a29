// The owners of the configured systems without an API (P17), played by the embedded runtime when
// LOCAL_TASK_OWNERS=answer: each task mail to an owner is answered "nothing held" through its own link, as a
// person would, so a run of every right does not wait for someone who is not there. Off by default: in a demo,
// and in the tests of manual tasks, a person (or the test) opens the link from the inbox and answers.
import { configuredSystems } from '../functions/core/systems.ts';
import type { SentMail } from './ses.ts';

export const TASK_OWNERS_ENV = 'LOCAL_TASK_OWNERS';

/** The path of a new task's link in a mail's text; a reminder carries the same link and is left alone. */
const taskPath = (text: string) => /https?:\/\/\S+?(\/tasks\/[\w.-]+)/.exec(text)?.[1];

/**
 * Answers a mail if it opens a task for an owner of a configured manual system, through this run's API (a mail of
 * an earlier run names its port); ids only in the log, and a failed answer is logged, never thrown.
 */
export function playTaskOwners(log: (line: string) => void, apiUrl: string) {
  const owners = new Set(configuredSystems().flatMap((s) => (s.kind === 'manual' ? s.owner.emails : [])));
  return async (mail: SentMail) => {
    if (process.env[TASK_OWNERS_ENV] !== 'answer') return;
    if (!mail.destination.to.some((to) => owners.has(to))) return;
    const path = taskPath(mail.text ?? '');
    if (!path || /^(Herinnering|Rappel|Reminder)\b/.test(mail.subject)) return;
    const form = new FormData();
    form.append('answer', 'nothing_held');
    try {
      const res = await fetch(`${apiUrl}${path}`, { method: 'POST', body: form });
      log(`[owners] answered the task of mail ${mail.messageId}: ${res.status}`);
    } catch (error) {
      log(`[owners] could not answer the task of mail ${mail.messageId}: ${(error as Error).message}`);
    }
  };
}
