import { DEADLINE_REMINDER_DAYS, ENV, envDays } from '../core/config.ts';
import { sweepDeadlines } from '../core/deadline-sweep.ts';
import { deadlineSweepDeps } from '../wiring.ts';
import { route } from './http.ts';

/**
 * POST /admin/sweeps/deadlines (admin, P9): the hourly deadline sweep, now; its reminders and interim answers are
 * the same steps (each sent once), its figures the answer. Counts only.
 */
export const handler = route({ id: 'RunDeadlineSweep', role: 'admin', idempotent: true }, async () => {
  const reminderDays = envDays(ENV.deadlineReminderDays, DEADLINE_REMINDER_DAYS);
  const { totals, groups, reminded, interimAnswers } = await sweepDeadlines(deadlineSweepDeps(), {
    reminderDays,
  });
  return { status: 200, body: { totals, groups, reminded, interimAnswers } };
});
