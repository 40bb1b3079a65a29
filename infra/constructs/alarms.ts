// Alarms and a small dashboard: failed or timed-out requests, failing connectors, API errors.
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
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

export interface AlarmsProps {
  key: IKey;
  stateMachine: IStateMachine;
  /** Connector functions by connector id. */
  connectors: ReadonlyMap<string, IFunction>;
  api: RestApi;
  /** Scheduled functions by SCHEDULES id; each gets an errors alarm. */
  scheduled?: ReadonlyMap<string, IFunction>;
  alarmEmail?: string;
}

/** Published by the notice sweep (functions/scheduled/notice-sweep.ts) with Powertools' default dimension. */
export const UNACKNOWLEDGED_NOTICES = {
  namespace: 'PrivacyRights',
  metricName: 'UnacknowledgedNotices',
  dimensionsMap: { service: 'privacy-rights' },
} as const;

const FIVE_MINUTES = Duration.minutes(5);

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
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (alarmId: string, metric: IMetric, description: string) => {
      const a = new Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
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
      ],
    });
  }
}
