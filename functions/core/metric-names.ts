// Names of the CloudWatch metrics the handlers publish (Powertools EMF, namespace PrivacyRights) and the alarms and
// dashboard of infra/constructs/alarms.ts read: one list, so the two cannot drift apart. Counts only, never who.

/** Published by the deadline sweep every hour, zero included: totals with the service dimension alone, and the
 * first four again per request `type` and `status`. */
export const DEADLINE_METRICS = {
  open: 'OpenRequests',
  dueWithin7Days: 'DueWithin7Days',
  dueWithin2Days: 'DueWithin2Days',
  overdue: 'OverdueRequests',
  partiallyCompletedOverADay: 'PartiallyCompletedOverADay',
  needingAction: 'OpenRequestsNeedingAction',
  reminded: 'DeadlineRemindersSent',
  interimAnswers: 'InterimAnswersSent',
} as const;

/** One per request the moment it ends partially completed or its workflow fails (Close, WorkflowFailed). */
export const REQUEST_NEEDS_ACTION = 'RequestsNeedingAction';

/** One per system whose operation failed, recorded by RecordResults, with the service dimension alone. */
export const CONNECTOR_FAILURES = 'ConnectorFailures';

/** One per mail about a request that bounced or was complained about (MailEvents), with the service dimension alone. */
export const UNDELIVERABLE_MAIL = 'UndeliverableMail';
