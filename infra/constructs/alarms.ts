// Alarms and a small dashboard: failed or timed-out requests, failing connectors, API errors, and the deadlines
// (P9, Art. 12(3)–(4)): overdue requests, requests left partially completed, unacknowledged notices. Every alarm
// goes to the staff topic (encrypted with the stack key, TLS only), which mails the staff inbox.
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  CONNECTOR_FAILURES,
  DEADLINE_METRICS,
  REQUEST_NEEDS_ACTION,
  UNDELIVERABLE_MAIL,
} from '../../functions/core/metric-names.ts';

export interface AlarmsProps {
  key: IKey;
  stateMachine: IStateMachine;
  /** Connector functions by connector id. */
  connectors: ReadonlyMap<string, IFunction>;
  api: RestApi;
  /** The retention sweep's own state machine (P11): a failed run, or subjects it could not erase, alarm. */
  retentionSweep?: IStateMachine;
  /** Scheduled functions by SCHEDULES id; each gets an errors alarm. */
  scheduled?: ReadonlyMap<string, IFunction>;
  /** Subscribed to the staff topic; the staff inbox when no alarm address is set. */
  alarmEmail?: string;
  staffInbox?: string;
}

/** Published by the notice sweep (functions/scheduled/notice-sweep.ts) with Powertools' default dimension. */
export const UNACKNOWLEDGED_NOTICES = {
  namespace: 'PrivacyRights',
  metricName: 'UnacknowledgedNotices',
  dimensionsMap: { service: 'privacy-rights' },
} as const;

const FIVE_MINUTES = Duration.minutes(5);
const HOUR = Duration.hours(1);

/** A metric the handlers publish (Powertools EMF), with the service dimension alone. */
const appMetric = (metricName: string, statistic: 'Sum' | 'Maximum', period: Duration, label: string) =>
  new Metric({
    namespace: UNACKNOWLEDGED_NOTICES.namespace,
    dimensionsMap: UNACKNOWLEDGED_NOTICES.dimensionsMap,
    metricName,
    statistic,
    period,
    label,
  });

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Privacy rights pipeline alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    const subscriber = props.alarmEmail ?? props.staffInbox;
    if (subscriber) this.topic.addSubscription(new EmailSubscription(subscriber));
    const action = new SnsAction(this.topic);

    const alarm = (
      alarmId: string,
      metric: IMetric,
      description: string,
      treatMissingData = TreatMissingData.NOT_BREACHING,
    ) => {
      const a = new Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      return a;
    };

    const sm = props.stateMachine;
    const failed = sm.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' });
    const timedOut = sm.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' });
    alarm(
      'ExecutionsFailed',
      failed,
      'A request workflow failed: the request is stuck until someone acts (RUNBOOK).',
    );
    alarm('ExecutionsTimedOut', timedOut, 'A request workflow ran out of time (P9): check the due dates.');

    const connectorErrors: IMetric[] = [];
    for (const [connectorId, fn] of props.connectors) {
      const errors = fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: connectorId });
      connectorErrors.push(errors);
      alarm(
        `${connectorId}Errors`,
        errors,
        `The ${connectorId} Lambda failed; the workflow retries, then records a failure.`,
      );
    }

    // P13: a recipient or processor has not acknowledged a notice within NOTICE_ACK_TIMEOUT_MINUTES, even after
    // the sweep sent it again. Staff see which one in GET /admin/requests/{id} (notices); RUNBOOK says what to do.
    const unacknowledged = new Metric({
      ...UNACKNOWLEDGED_NOTICES,
      statistic: 'Maximum',
      period: Duration.hours(1),
      label: 'Unacknowledged notices',
    });
    alarm(
      'UnacknowledgedNotices',
      unacknowledged,
      'A recipient or processor has not acknowledged a rectification, erasure, objection or opt-out notice in time (P13).',
    );
    // P9: the deadline sweep's hourly figures. A missed run keeps the alarm as it was (its own errors alarm fires).
    const open = appMetric(DEADLINE_METRICS.open, 'Maximum', HOUR, 'Open requests');
    const within7 = appMetric(DEADLINE_METRICS.dueWithin7Days, 'Maximum', HOUR, 'Due within 7 days');
    const within2 = appMetric(DEADLINE_METRICS.dueWithin2Days, 'Maximum', HOUR, 'Due within 2 days');
    const overdue = appMetric(DEADLINE_METRICS.overdue, 'Maximum', HOUR, 'Overdue');
    const partialOverADay = appMetric(
      DEADLINE_METRICS.partiallyCompletedOverADay,
      'Maximum',
      HOUR,
      'Partially completed > 1 day',
    );
    const needingAction = appMetric(DEADLINE_METRICS.needingAction, 'Maximum', HOUR, 'Open, needing staff');
    alarm(
      'OverdueRequests',
      overdue,
      'A request is past its due date (P9, Art. 12(3)): answer it now; the staff list shows it as overdue.',
      TreatMissingData.IGNORE,
    );
    alarm(
      'PartiallyCompletedOverADay',
      partialOverADay,
      'A request has been partially completed for more than a day: retry it once the failed system is back (RUNBOOK).',
      TreatMissingData.IGNORE,
    );
    // Art. 12(3)–(4): raised the moment a request ends partially completed or its workflow fails.
    const needsAction = appMetric(REQUEST_NEEDS_ACTION, 'Sum', FIVE_MINUTES, 'Requests needing action');
    alarm(
      'RequestNeedsAction',
      needsAction,
      'A request ended partially completed or its workflow failed: the staff list flags it; retry or answer it.',
    );
    // Failures the workflow caught and recorded: no Lambda error, so the per-connector Errors alarms miss them.
    const connectorFailures = appMetric(CONNECTOR_FAILURES, 'Sum', FIVE_MINUTES, 'Connector failures');
    alarm(
      'ConnectorFailures',
      connectorFailures,
      'A system could not carry out its part of a request; the request will end partially completed.',
    );

    // P10: a mail about a request bounced or was complained about; the staff list flags it until staff reach the subject.
    alarm(
      'UndeliverableMail',
      appMetric(UNDELIVERABLE_MAIL, 'Sum', FIVE_MINUTES, 'Undeliverable mail'),
      'A mail about a request bounced or was complained about (P10): reach the subject another way and record it (RUNBOOK).',
    );

    if (props.retentionSweep) {
      alarm(
        'RetentionSweepFailed',
        props.retentionSweep.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
        'The daily retention sweep failed (P11); the next run starts again from the subject lists (RUNBOOK).',
      );
      alarm(
        'RetentionSubjectsFailed',
        appMetric('RetentionFailed', 'Sum', Duration.days(1), 'Subjects the sweep could not erase'),
        'The retention sweep could not erase some inactive subjects (P11); the daily summary to staff counts them.',
      );
    }
    for (const [scheduleId, fn] of props.scheduled ?? []) {
      alarm(
        `${scheduleId}Errors`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        `The scheduled ${scheduleId} Lambda failed; the next run tries again.`,
      );
    }

    const serverErrors = props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    alarm(
      'Api5xx',
      serverErrors,
      'The API answered 5xx: subjects or staff could not file, verify or decide.',
    );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: Stack.of(this).stackName,
      widgets: [
        [
          new GraphWidget({
            title: 'Request workflows',
            left: [
              sm.metricStarted({ period: FIVE_MINUTES, statistic: 'Sum' }),
              sm.metricSucceeded({ period: FIVE_MINUTES, statistic: 'Sum' }),
              failed,
              timedOut,
            ],
            width: 12,
          }),
          new GraphWidget({ title: 'Connector errors', left: connectorErrors, width: 12 }),
        ],
        [
          new GraphWidget({
            title: 'API',
            left: [props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' })],
            right: [props.api.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum' }), serverErrors],
            width: 12,
          }),
          new SingleValueWidget({
            title: 'API latency p95 (ms)',
            metrics: [props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p95' })],
            width: 12,
          }),
        ],
        [
          new SingleValueWidget({
            title: 'Deadlines now (P9)',
            metrics: [open, within7, within2, overdue, partialOverADay, needingAction, unacknowledged],
            width: 24,
          }),
        ],
        [
          new GraphWidget({
            title: 'Open requests by due date',
            left: [open, within7, within2, overdue],
            width: 12,
          }),
          new GraphWidget({
            title: 'Needing staff (Art. 12(3)–(4))',
            left: [needsAction, connectorFailures],
            right: [partialOverADay, unacknowledged],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Open and overdue requests by type and status',
            left: [byTypeAndStatus(DEADLINE_METRICS.open)],
            right: [byTypeAndStatus(DEADLINE_METRICS.overdue)],
            width: 24,
          }),
        ],
      ],
    });
  }
}

/** Every type and status series of a deadline metric, found by a search (the sweep adds series as they appear). */
function byTypeAndStatus(metricName: string): MathExpression {
  const { namespace, dimensionsMap } = UNACKNOWLEDGED_NOTICES;
  return new MathExpression({
    expression: `SEARCH('{${namespace},service,status,type} MetricName="${metricName}" service="${dimensionsMap.service}"', 'Maximum', 3600)`,
    label: metricName,
    period: HOUR,
  });
}
