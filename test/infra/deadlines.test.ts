// The stack's deadline watch (P9, Art. 12(3)–(4)): the hourly sweep's schedule, the rule on failed workflows, the
// alarms on overdue, partially completed and failing requests and on unacknowledged notices, the encrypted staff
// topic they go to, and the dashboard with these figures.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEADLINE_METRICS } from '../../functions/core/metric-names.ts';
import { DEADLINE_SWEEP } from '../../functions/registry-deadlines.ts';
import { ENTRY_TAG } from '../../infra/constructs/functions.ts';
import { type Json, props, resourcesOfType, type Synthesized, synth, synthOnce } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthOnce();
});

/** The logical id of the Lambda whose handler file is `entry`. */
const lambdaId = (entry: string) =>
  resourcesOfType(s.json, 'AWS::Lambda::Function').find(([, fn]) =>
    (props(fn).Tags as { Key: string; Value: string }[]).some(
      (t) => t.Key === ENTRY_TAG && t.Value === entry,
    ),
  )?.[0];

/** The alarm of the application metric `name`, its metric read the same whether CDK wrote it flat or labelled. */
const alarmOn = (name: string) =>
  resourcesOfType(s.json, 'AWS::CloudWatch::Alarm')
    .map(([, a]) => {
      const { Metrics, ...alarm } = props(a);
      const stat = Metrics?.[0]?.MetricStat;
      return stat ? { ...alarm, ...stat.Metric, Statistic: stat.Stat, Period: stat.Period } : alarm;
    })
    .find((a) => a.MetricName === name);

// The staff topic; the other topic carries SES's bounces and complaints to MailEvents (P10), never alarms.
const topicId = () => resourcesOfType(s.json, 'AWS::SNS::Topic').find(([id]) => id.startsWith('Alarms'))?.[0];

describe('Stack: deadline watch (P9)', () => {
  it('runs the deadline sweep hourly from an EventBridge rule, with the reminder steps in its environment', () => {
    // Prepare
    const fn = lambdaId(DEADLINE_SWEEP.entry);
    // Assess
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] } })],
    });
    const env = props(s.json.Resources[fn as string]).Environment.Variables;
    expect(env.DEADLINE_REMINDER_DAYS).toBe('10,5,1');
    expect(env.STAFF_INBOX).toBe('privacy-team@jsm.be');
  });

  it('takes the reminder steps from context and refuses steps that are not whole days', () => {
    // Act
    const custom = synth({ deadlineReminderDays: '14,7,2' });
    // Assess
    const sweep = resourcesOfType(custom.json, 'AWS::Lambda::Function').find(([id]) =>
      id.includes('DeadlineSweep'),
    );
    expect(props(sweep?.[1]).Environment.Variables.DEADLINE_REMINDER_DAYS).toBe('14,7,2');
    expect(() => synth({ deadlineReminderDays: '10,half' })).toThrow(/deadlineReminderDays/);
  }, 120_000);

  it('flags a request whose workflow fails, times out or is aborted, from the state machine status events', () => {
    // Prepare
    const fn = lambdaId('functions/workflow/workflow-failed.ts');
    const machine = resourcesOfType(s.json, 'AWS::StepFunctions::StateMachine')[0]?.[0];
    // Assess
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [{ Ref: machine }], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] } })],
    });
  });

  it.each([
    [DEADLINE_METRICS.overdue, 'Maximum', 3600, 'ignore'],
    [DEADLINE_METRICS.partiallyCompletedOverADay, 'Maximum', 3600, 'ignore'],
    ['RequestsNeedingAction', 'Sum', 300, 'notBreaching'],
    ['ConnectorFailures', 'Sum', 300, 'notBreaching'],
    ['UnacknowledgedNotices', 'Maximum', 3600, 'notBreaching'],
  ])(
    'raises an alarm to the staff topic as soon as %s is above zero',
    (metric, statistic, period, missing) => {
      // Act
      const alarm = alarmOn(metric);
      // Assess: > 0 on the service dimension, alarm and recovery both told to the topic
      expect(alarm).toMatchObject({
        Namespace: 'PrivacyRights',
        Dimensions: [{ Name: 'service', Value: 'privacy-rights' }],
        Statistic: statistic,
        Period: period,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: missing,
        AlarmActions: [{ Ref: topicId() }],
        OKActions: [{ Ref: topicId() }],
      });
    },
  );

  it('keeps the per-connector Lambda error alarms and alarms on the sweeps and the failure handler themselves', () => {
    // Act
    const names = resourcesOfType(s.json, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    // Assess
    for (const id of [
      'BillingConnectorErrors',
      'CrmConnectorErrors',
      'DeadlineSweepErrors',
      'WorkflowFailedErrors',
    ])
      expect(names.some((n) => n.startsWith(`Alarms${id}`))).toBe(true);
  });

  it('sends alarms to one topic for staff, encrypted with the stack key, TLS only, mailed to the staff inbox', () => {
    // Prepare
    const topics = resourcesOfType(s.json, 'AWS::SNS::Topic');
    const key = resourcesOfType(s.json, 'AWS::KMS::Key')[0]?.[0];
    const actions = resourcesOfType(s.json, 'AWS::CloudWatch::Alarm').flatMap(([, a]) => [
      ...props(a).AlarmActions,
      ...props(a).OKActions,
    ]);
    // Assess: every alarm tells the one staff topic; every topic is encrypted with the stack key
    expect(new Set(actions.map((a: { Ref: string }) => a.Ref))).toEqual(new Set([topicId()]));
    for (const [, topic] of topics)
      expect(props(topic).KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key, 'Arn'] });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'privacy-team@jsm.be',
      TopicArn: { Ref: topicId() },
    });
  });

  it('shows every deadline figure on the dashboard, per type and status too', () => {
    // Prepare
    const [, dashboard] = resourcesOfType(s.json, 'AWS::CloudWatch::Dashboard')[0] ?? [];
    const body: Json = props(dashboard).DashboardBody;
    // The body is a Fn::Join of strings and tokens; its text is enough to find the metrics.
    const text = JSON.stringify(body);
    // Assess
    for (const name of [
      ...Object.values(DEADLINE_METRICS).slice(0, 6),
      'RequestsNeedingAction',
      'ConnectorFailures',
      'UnacknowledgedNotices',
    ])
      expect(text).toContain(`\\"${name}\\"`);
    expect(text).toContain('SEARCH(');
    expect(text).toContain('service,status,type');
  });
});
