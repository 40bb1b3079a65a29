import { now } from '../core/clock.ts';
import { ENV, env } from '../core/config.ts';
import type { ApprovalDeps } from '../core/progress.ts';
import { audit, mailer, store, workflow } from '../wiring.ts';

export const approvalDeps = (): ApprovalDeps => ({
  store: store(),
  audit: audit(),
  now,
  workflow: workflow(),
  mailer: mailer(),
  staffInbox: env(ENV.staffInbox),
});
