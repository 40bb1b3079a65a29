import { beforeAll, describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../functions/registry.ts';
import { TABLES } from '../../functions/tables.ts';
import { EXPORT_EXPIRY_DAYS } from '../../infra/constructs/data.ts';
import { props, resourcesOfType, type Synthesized, synthOnce } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthOnce();
});

const keyId = () => {
  const keys = resourcesOfType(s.json, 'AWS::KMS::Key');
  expect(keys).toHaveLength(1);
  return keys[0]?.[0];
};

describe('Stack: data at rest (P15)', () => {
  it('uses one customer-managed key, with rotation on', () => {
    // Act: find the stack's KMS key
    const [, key] = resourcesOfType(s.json, 'AWS::KMS::Key')[0] ?? [];
    // Assess: it rotates
    expect(props(key).EnableKeyRotation).toBe(true);
  });

  it('creates the requests, audit, idempotency and erasure-ledger tables and one store per connector of a system with an API', () => {
    // Act: list the DynamoDB tables
    const tables = resourcesOfType(s.json, 'AWS::DynamoDB::Table');
    // Assess: requests, audit, idempotency, the erasure ledger (P3), plus one per connector; a manual system's
    // owner answers by a link, so its connector keeps no store (P17)
    const stored = CONNECTORS.filter((c) => c.kind !== 'manual');
    expect(stored.length).toBeLessThan(CONNECTORS.length);
    expect(tables).toHaveLength(4 + stored.length);
  });

  it('encrypts every table with the stack key, on demand, with PITR and deletion protection', () => {
    // Prepare: the one stack key
    const key = keyId();
    // Act: walk every table
    for (const [id, table] of resourcesOfType(s.json, 'AWS::DynamoDB::Table')) {
      // Assess: KMS with the stack key, PITR, on demand, deletion protected and retained
      const p = props(table);
      expect(p.SSESpecification, id).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
      });
      expect(p.PointInTimeRecoverySpecification, id).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(p.BillingMode, id).toBe('PAY_PER_REQUEST');
      expect(p.DeletionProtectionEnabled, id).toBe(true);
      expect(table.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('gives tables the key schemas, indexes and TTL of the registry, all keys String', () => {
    // Act: read every table's properties
    const tables = resourcesOfType(s.json, 'AWS::DynamoDB::Table').map(([, t]) => props(t));
    const withTtl = tables.filter((p) => p.TimeToLiveSpecification);
    // Assess: TTL only on the requests and idempotency tables
    expect(withTtl.map((p) => p.TimeToLiveSpecification.AttributeName).sort()).toEqual(
      [TABLES.requests.ttl, TABLES.idempotency.ttl].sort(),
    );
    // Assess: every key attribute is a String
    for (const p of tables) {
      for (const attr of p.AttributeDefinitions) expect(attr.AttributeType).toBe('S');
    }
    // Assess: the requests table has the registry's indexes
    const requests = tables.find((p) => p.TimeToLiveSpecification?.AttributeName === TABLES.requests.ttl);
    expect(requests?.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName).sort()).toEqual(
      TABLES.requests.indexes.map((i) => i.name).sort(),
    );
  });

  it('blocks public access and refuses plain HTTP on every bucket', () => {
    // Act: list the buckets
    const buckets = resourcesOfType(s.json, 'AWS::S3::Bucket');
    // Assess: at least the exports, audit and access-log buckets
    expect(buckets.length).toBeGreaterThanOrEqual(3);
    for (const [id, bucket] of buckets) {
      // Assess: each blocks all public access
      expect(props(bucket).PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      // Act: find the bucket's policy
      const policy = resourcesOfType(s.json, 'AWS::S3::BucketPolicy').find(
        ([, p]) => JSON.stringify(props(p).Bucket) === JSON.stringify({ Ref: id }),
      );
      const statements = props(policy?.[1]).PolicyDocument?.Statement ?? [];
      // Assess: it denies requests without TLS
      expect(
        statements.some(
          (st: { Effect: string; Condition?: { Bool?: Record<string, string> } }) =>
            st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false',
        ),
        `${id} denies requests without TLS`,
      ).toBe(true);
    }
  });

  it('encrypts exports with the stack key and expires them after a week (P1, P7)', () => {
    // Prepare: the one stack key
    const key = keyId();
    // Act: find the bucket whose lifecycle expires exports after EXPORT_EXPIRY_DAYS
    const exports = resourcesOfType(s.json, 'AWS::S3::Bucket').filter(([, b]) =>
      props(b).LifecycleConfiguration?.Rules.some(
        (r: { Id: string; ExpirationInDays?: number }) =>
          r.Id === 'expire-exports' && r.ExpirationInDays === EXPORT_EXPIRY_DAYS,
      ),
    );
    // Assess: one such bucket, a week, encrypted with the stack key, access logged
    expect(exports).toHaveLength(1);
    const bucket = { Properties: props(exports[0]?.[1]) };
    expect(EXPORT_EXPIRY_DAYS).toBe(7);
    expect(bucket?.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
      ServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: { 'Fn::GetAtt': [key, 'Arn'] },
      },
    });
    expect(bucket?.Properties.LoggingConfiguration?.DestinationBucketName).toBeDefined();
  });

  it('keeps audit chain heads write-once with S3 Object Lock', () => {
    // Act: find the buckets with Object Lock
    const locked = resourcesOfType(s.json, 'AWS::S3::Bucket').filter(([, b]) => props(b).ObjectLockEnabled);
    // Assess: exactly one, in compliance mode, for ten years or more
    expect(locked).toHaveLength(1);
    const rule = props(locked[0]?.[1]).ObjectLockConfiguration.Rule.DefaultRetention;
    expect(rule.Mode).toBe('COMPLIANCE');
    expect(rule.Days).toBeGreaterThanOrEqual(3650);
  });

  it('generates the application secret and encrypts it with the stack key', () => {
    // Act: find the application secret
    const [, secret] = resourcesOfType(s.json, 'AWS::SecretsManager::Secret')[0] ?? [];
    const p = props(secret);
    // Assess: generated, 32 characters or more, encrypted with the stack key
    expect(p.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32);
    expect(p.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
  });
});
