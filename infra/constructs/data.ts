// Everything that holds data: one customer-managed key, the tables, the buckets and the application secret.
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SystemName } from '../../functions/core/schemas.ts';
import { CONNECTORS } from '../../functions/registry.ts';
import { TABLES, type TableSpec } from '../../functions/tables.ts';
import { acknowledge } from '../nag.ts';
import type { Settings } from '../settings.ts';

/** How long an access or portability export stays downloadable (DESIGN: Downloads). */
export const EXPORT_EXPIRY_DAYS = 7;

export interface DataProps {
  settings: Settings;
}

export class Data extends Construct {
  /** One key for every store, so revoking it (crypto-shredding) reaches all of them at once. */
  readonly key: Key;
  readonly requests: Table;
  readonly audit: Table;
  readonly idempotency: Table;
  /** The erasure ledger (P3): apart from the stores it protects, so restoring one of them keeps it. */
  readonly erasures: Table;
  /** The demo systems' stores, standing in for billing, CRM, support and marketing. */
  readonly systems: ReadonlyMap<SystemName, Table>;
  readonly exports: Bucket;
  readonly auditHeads: Bucket;
  readonly accessLogs: Bucket;
  readonly appSecret: Secret;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      alias: `alias/${Stack.of(this).stackName}`,
      description: 'Encrypts every store, log and topic of the privacy-rights pipeline',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts this account's log groups with the key; nothing else may use it through logs.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
    // Alarms publish to the encrypted topic, which needs CloudWatch to use the key.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );

    this.requests = this.table('RequestsTable', TABLES.requests);
    this.audit = this.table('AuditTable', TABLES.audit);
    this.idempotency = this.table('IdempotencyTable', TABLES.idempotency);
    this.erasures = this.table('ErasuresTable', TABLES.erasures);
    const systems = new Map<SystemName, Table>();
    // A system without an API (P17) has no store of ours: its owner keeps it, answering tasks on the request.
    for (const c of CONNECTORS)
      if (c.kind !== 'manual') systems.set(c.system, this.table(`${pascal(c.system)}Table`, TABLES.system));
    this.systems = systems;

    // S3 server access logs cannot be delivered to an SSE-KMS bucket, hence SSE-S3 here.
    this.accessLogs = new Bucket(this, 'AccessLogsBucket', {
      ...secureBucket,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(400) }],
    });
    acknowledge(
      this.accessLogs,
      'AwsSolutions-S1',
      'This is the access-log bucket; logging it to itself would loop.',
    );

    this.exports = new Bucket(this, 'ExportBucket', {
      ...secureBucket,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'exports/',
      lifecycleRules: [
        // Exports hold a subject's data; they live only as long as the download link (P1, P7).
        {
          id: 'expire-exports',
          expiration: Duration.days(EXPORT_EXPIRY_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'remove-delete-markers', expiredObjectDeleteMarker: true },
      ],
    });

    // Write-once chain heads: a rewritten audit chain no longer matches its locked head (DESIGN: Audit trail).
    this.auditHeads = new Bucket(this, 'AuditHeadsBucket', {
      ...secureBucket,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'audit-heads/',
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.settings.auditLockMode === 'COMPLIANCE'
          ? ObjectLockRetention.compliance(Duration.days(props.settings.auditRetentionDays))
          : ObjectLockRetention.governance(Duration.days(props.settings.auditRetentionDays)),
    });

    this.appSecret = new Secret(this, 'AppSecret', {
      description: 'Key material for the HMACs of verification codes, status tokens and suppression hashes',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.appSecret,
      'AwsSolutions-SMG4',
      'The HMAC key signs outstanding codes and status tokens; rotating it needs dual-key verification in the ' +
        'application first, so rotation is a planned, manual operation.',
    );
  }

  private table(id: string, spec: TableSpec): Table {
    const table = new Table(this, id, {
      partitionKey: { name: spec.partitionKey, type: AttributeType.STRING },
      ...(spec.sortKey ? { sortKey: { name: spec.sortKey, type: AttributeType.STRING } } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(spec.ttl ? { timeToLiveAttribute: spec.ttl } : {}),
    });
    for (const index of spec.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        ...(index.sortKey ? { sortKey: { name: index.sortKey, type: AttributeType.STRING } } : {}),
      });
    }
    return table;
  }
}

/** What every bucket of the stack has: private, TLS only, versioned, kept when the stack goes. */
export const secureBucket: BucketProps = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: true,
  removalPolicy: RemovalPolicy.RETAIN,
};

export const pascal = (s: string) => s.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
