import { now } from '../core/clock.ts';
import { tellSubject } from '../core/progress.ts';
import { audit, mailer, store } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** TellSubject: the outcome, in the subject's language, with the right to complain (P10, P18). */
export const handler = task(TaskInput, ({ requestId }) =>
  tellSubject({ store: store(), audit: audit(), mailer: mailer(), now }, requestId),
);
