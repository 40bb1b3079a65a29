// Encryption at rest and the public edge, checked by resource type over the whole synthesized template (P15,
// Art. 32): every type is either a place where data rest, checked to use the stack's customer-managed key (or SSE-S3
// where a reason is written down), or one that holds no data, with why. A resource of a type in neither list fails,
// so a new kind of resource is looked at before it ships.
import { beforeAll, describe, expect, it } from 'vitest';
import { cdkPath, type Json, props, resourcesOfType, type Synthesized, synthOnce } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthOnce();
});

/** The stack key as CloudFormation names it. */
const stackKey = () => {
  const keys = resourcesOfType(s.json, 'AWS::KMS::Key');
  expect(keys).toHaveLength(1);
  return { 'Fn::GetAtt': [keys[0]?.[0], 'Arn'] };
};

/** Buckets allowed SSE-S3 instead of the stack key, by construct path, and why. */
const SSE_S3_BUCKETS: Record<string, string> = {
  'PrivacyRights/Data/AccessLogsBucket/Resource':
    'S3 server access logs can only be delivered to a bucket with SSE-S3 (SSE-KMS targets are not supported); they hold request lines, no bodies',
  'PrivacyRights/Site/Bucket/Resource':
    'the privacy centre and console static files: public code and styles, no personal data; SSE-S3 spares API Gateway a KMS grant',
};

/** Where data rest: how each type names its key, checked against the stack key. */
const AT_REST: Record<string, (p: Record<string, Json>) => unknown> = {
  'AWS::DynamoDB::Table': (p) => p.SSESpecification?.SSEEnabled && p.SSESpecification.KMSMasterKeyId,
  'AWS::S3::Bucket': (p) =>
    p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.KMSMasterKeyID,
  'AWS::SNS::Topic': (p) => p.KmsMasterKeyId,
  'AWS::SQS::Queue': (p) => p.KmsMasterKeyId,
  'AWS::Logs::LogGroup': (p) => p.KmsKeyId,
  'AWS::SecretsManager::Secret': (p) => p.KmsKeyId,
  'AWS::StepFunctions::StateMachine': (p) =>
    p.EncryptionConfiguration?.Type === 'CUSTOMER_MANAGED_KMS_KEY' && p.EncryptionConfiguration.KmsKeyId,
};

/** Types that keep no data of subjects or staff at rest, or whose storage allows no customer key; and why. */
const NO_DATA_AT_REST: Record<string, string> = {
  'AWS::KMS::Key': 'the key itself',
  'AWS::KMS::Alias': 'a name for the key',
  'AWS::S3::BucketPolicy': 'policy',
  'AWS::SNS::TopicPolicy': 'policy',
  'AWS::SNS::Subscription': 'a delivery rule; the messages rest in the encrypted topic',
  'AWS::IAM::Role': 'policy',
  'AWS::IAM::Policy': 'policy',
  'AWS::Lambda::Function':
    'code and configuration names; secrets are read from Secrets Manager at run time, never put in the environment',
  'AWS::Lambda::Permission': 'policy',
  'AWS::Lambda::LayerVersion': 'code (the bucket deployment helper)',
  'Custom::CDKBucketDeployment': 'copies the static files into the site bucket',
  'AWS::ApiGateway::RestApi': 'routing; the access logs rest in an encrypted log group',
  'AWS::ApiGateway::Account': 'the account-wide CloudWatch role of API Gateway',
  'AWS::ApiGateway::Deployment': 'routing',
  'AWS::ApiGateway::Stage': 'routing; its access logs rest in an encrypted log group',
  'AWS::ApiGateway::Resource': 'routing',
  'AWS::ApiGateway::Method': 'routing',
  'AWS::ApiGateway::RequestValidator': 'routing',
  'AWS::ApiGateway::GatewayResponse': 'static problem bodies',
  'AWS::ApiGateway::Authorizer': 'routing',
  'AWS::Cognito::UserPool':
    "staff accounts: Cognito encrypts them with AWS-owned keys and offers no customer-managed key for the pool's users",
  'AWS::Cognito::UserPoolGroup': 'role names',
  'AWS::Cognito::UserPoolDomain': 'the hosted sign-in domain',
  'AWS::Cognito::UserPoolClient': 'client settings',
  'AWS::WAFv2::WebACL': 'rules',
  'AWS::WAFv2::WebACLAssociation': 'an attachment',
  'AWS::SES::ConfigurationSet': 'settings; SES keeps no message bodies',
  'AWS::SES::EmailIdentity': 'the sending domain',
  'AWS::SES::ConfigurationSetEventDestination': 'a delivery rule to the encrypted topic',
  'AWS::Events::Rule': 'schedules and patterns',
  'AWS::CloudWatch::Alarm': 'thresholds on metrics that name no one',
  'AWS::CloudWatch::Dashboard': 'widgets on metrics that name no one',
};

describe('Stack: encryption at rest, by resource type (P15, Art. 32)', () => {
  it('knows every resource type of the template: data at rest, or no data at rest with a reason', () => {
    // Act: every type in the synthesized template
    const types = [...new Set(Object.values(s.json.Resources).map((r) => r.Type))];
    // Assess: each is classified, in one list only
    const unknown = types.filter((t) => !(t in AT_REST) && !(t in NO_DATA_AT_REST));
    expect(unknown).toEqual([]);
    for (const t of Object.keys(AT_REST)) expect(NO_DATA_AT_REST[t], t).toBeUndefined();
  });

  it('encrypts every table, bucket, topic, queue, log group, secret and state machine with the stack key; SSE-S3 only where a reason is written', () => {
    // Prepare
    const key = stackKey();
    const checked: Record<string, number> = {};
    // Act: walk every resource of each data-at-rest type
    for (const [type, keyOf] of Object.entries(AT_REST)) {
      for (const [id, r] of resourcesOfType(s.json, type)) {
        checked[type] = (checked[type] ?? 0) + 1;
        const p = props(r);
        const justified = SSE_S3_BUCKETS[cdkPath(r)];
        if (type === 'AWS::S3::Bucket' && justified) {
          // Assess: SSE-S3, as the reason says, never unencrypted
          expect(
            p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault
              ?.SSEAlgorithm,
            id,
          ).toBe('AES256');
          continue;
        }
        // Assess: the customer-managed stack key
        expect(keyOf(p), `${type} ${id} (${cdkPath(r)})`).toEqual(key);
      }
    }
    console.log('Encryption at rest checked per type: %o', checked);
    // Assess: the walk saw the kinds the stack has, and every SSE-S3 reason names a bucket that exists
    for (const t of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::SNS::Topic'])
      expect(checked[t], t).toBeGreaterThan(0);
    const paths = resourcesOfType(s.json, 'AWS::S3::Bucket').map(([, b]) => cdkPath(b));
    for (const p of Object.keys(SSE_S3_BUCKETS)) expect(paths).toContain(p);
  });

  it('keeps point-in-time recovery on every table', () => {
    // Act / Assess: every table
    const tables = resourcesOfType(s.json, 'AWS::DynamoDB::Table');
    expect(tables.length).toBeGreaterThan(0);
    for (const [id, t] of tables)
      expect(props(t).PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled, id).toBe(true);
  });

  it('logs each state machine to an encrypted log group of the stack, without execution data (P15)', () => {
    // Prepare: the log groups of the template
    const groups = new Set(resourcesOfType(s.json, 'AWS::Logs::LogGroup').map(([id]) => id));
    // Act: every state machine's log destinations
    const machines = resourcesOfType(s.json, 'AWS::StepFunctions::StateMachine');
    expect(machines.length).toBeGreaterThan(0);
    for (const [id, m] of machines) {
      const logging = props(m).LoggingConfiguration;
      // Assess: logs go to a log group of the stack (encrypted, above), payloads left out
      expect(logging?.IncludeExecutionData, id).toBe(false);
      const arns = (logging?.Destinations ?? []).map(
        (d: Json) => d.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0],
      );
      expect(arns.length, id).toBeGreaterThan(0);
      for (const a of arns) expect(groups.has(a), `${id} → ${a}`).toBe(true);
    }
  });
});

describe('Stack: the public edge (P15, Art. 32)', () => {
  it('puts every API stage behind the WAF web ACL, whose rules include a per-IP rate limit', () => {
    // Prepare: the web ACL's rate rule
    const [aclId, acl] = resourcesOfType(s.json, 'AWS::WAFv2::WebACL')[0] ?? [];
    const rate = (props(acl).Rules as Json[]).find(
      (r) => r.Statement.RateBasedStatement?.AggregateKeyType === 'IP',
    );
    expect(rate?.Action).toEqual({ Block: {} });
    expect(rate?.Statement.RateBasedStatement.Limit).toBeGreaterThan(0);
    // Act: every stage, and what the associations attach
    const stages = resourcesOfType(s.json, 'AWS::ApiGateway::Stage');
    const associations = resourcesOfType(s.json, 'AWS::WAFv2::WebACLAssociation').map(([, a]) => props(a));
    expect(stages.length).toBeGreaterThan(0);
    for (const [stageId] of stages) {
      // Assess: an association of this ACL names the stage
      const attached = associations.filter(
        (a) =>
          JSON.stringify(a.ResourceArn).includes(`"Ref":"${stageId}"`) &&
          JSON.stringify(a.WebACLArn) === JSON.stringify({ 'Fn::GetAtt': [aclId, 'Arn'] }),
      );
      expect(attached, stageId).toHaveLength(1);
    }
  });
});
