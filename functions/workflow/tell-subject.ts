import { now } from '../core/clock.ts';
import { ENV, env } from '../core/config.ts';
import { exportOutcomeWriter } from '../core/export-outcome.ts';
import { tellSubject } from '../core/progress.ts';
import { answerMailer, appSecret, audit, noticeStore, store } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** TellSubject: the outcome, in the subject's language, with the right to complain (P10, P18). */
export const handler = task(TaskInput, async ({ requestId }) => {
  // Access and portability answers carry signed download links; the others are built into tellSubject.
  const exports = exportOutcomeWriter({
    secret: await appSecret(),
    publicBaseUrl: env(ENV.publicBaseUrl),
    now,
  });
  return tellSubject(
    {
      store: store(),
      audit: audit(),
      // To the requester: a representative (P12), or a printable letter without an e-mail address (P4).
      mailer: answerMailer(),
      // The mail names as told only the recipients whose notice is acknowledged by now (P13).
      notices: noticeStore(),
      now,
      writers: { access: exports, portability: exports },
    },
    requestId,
  );
});
