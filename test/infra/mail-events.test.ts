// The stack's side of bounces and complaints (P10): SES's events reach the MailEvents Lambda through an encrypted,
// TLS-only topic that only this configuration set may publish to, and the Lambda may touch the requests and audit
// tables only.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAIL_EVENTS } from '../../functions/registry-mail.ts';
import { ENTRY_TAG } from '../../infra/constructs/functions.ts';
import { props, resourcesOfType, type Synthesized, synthOnce } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthOnce();
});

const mailTopic = () => {
  const found = resourcesOfType(s.json, 'AWS::SNS::Topic').find(([id]) => id.startsWith('MailEvents'));
  if (!found) throw new Error('No mail events topic');
  return found;
};

describe('Stack: bounces and complaints (P10)', () => {
  it('publishes the configuration set’s Bounce and Complaint events to an encrypted topic only SES, for this configuration set, may publish to', () => {
    // Prepare
    const [topicId, topic] = mailTopic();
    const key = resourcesOfType(s.json, 'AWS::KMS::Key')[0]?.[0];
    const configurationSet = resourcesOfType(s.json, 'AWS::SES::ConfigurationSet')[0]?.[0];
    // Assess: the destination
    s.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSet },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
    // Assess: encrypted, TLS only, SES of this account for this configuration set
    expect(props(topic).KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key, 'Arn'] });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: Match.objectLike({ 'AWS:SourceAccount': Match.anyValue() }) },
          }),
        ]),
      },
    });
    // Assess: SES may use the key for the encrypted topic
    const keyPolicy = props(resourcesOfType(s.json, 'AWS::KMS::Key')[0]?.[1]).KeyPolicy.Statement as {
      Principal?: { Service?: string | string[] };
    }[];
    expect(keyPolicy.some((st) => [st.Principal?.Service].flat().includes('ses.amazonaws.com'))).toBe(true);
  });

  it('delivers the topic to the MailEvents Lambda alone, which may write requests and audit entries and nothing else', () => {
    // Prepare
    const [topicId] = mailTopic();
    const [fnId, fn] =
      resourcesOfType(s.json, 'AWS::Lambda::Function').find(([, f]) =>
        (props(f).Tags as { Key: string; Value: string }[]).some(
          (t) => t.Key === ENTRY_TAG && t.Value === MAIL_EVENTS.entry,
        ),
      ) ?? [];
    const roleId = props(fn).Role['Fn::GetAtt'][0];
    const statements = resourcesOfType(s.json, 'AWS::IAM::Policy')
      .filter(([, p]) => props(p).Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap(
        ([, p]) => props(p).PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    const actions = statements.flatMap((st) => [st.Action].flat());
    // Its audit entries' chain heads go to the write-once bucket, and nowhere else in S3 (P15)
    const s3Elsewhere = statements.filter(
      (st) =>
        [st.Action].flat().some((a) => a.startsWith('s3:')) &&
        !JSON.stringify(st.Resource).includes('AuditHeads'),
    );
    // Assess: one subscription, to this Lambda
    const subscriptions = resourcesOfType(s.json, 'AWS::SNS::Subscription').filter(
      ([, sub]) => props(sub).TopicArn?.Ref === topicId,
    );
    expect(subscriptions.map(([, sub]) => props(sub))).toEqual([
      expect.objectContaining({ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': [fnId, 'Arn'] } }),
    ]);
    // Assess: no mail, no workflow, no exports, no secret; S3 only for chain heads
    expect(actions.filter((a) => /^(ses|states|secretsmanager):/.test(a))).toEqual([]);
    expect(s3Elsewhere).toEqual([]);
    expect(actions).toContain('s3:PutObject');
    expect(actions).toContain('dynamodb:PutItem');
  });

  it('alarms staff when a mail about a request bounced or was complained about', () => {
    // Prepare
    const staffTopic = resourcesOfType(s.json, 'AWS::SNS::Topic').find(([id]) =>
      id.startsWith('Alarms'),
    )?.[0];
    // Act
    const alarm = resourcesOfType(s.json, 'AWS::CloudWatch::Alarm')
      .map(([, a]) => props(a))
      .find((a) => a.Metrics?.[0]?.MetricStat?.Metric?.MetricName === 'UndeliverableMail');
    // Assess: any one in five minutes, to the staff topic
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: staffTopic }],
    });
    expect(alarm?.Metrics[0].MetricStat).toMatchObject({ Stat: 'Sum', Period: 300 });
  });
});
