// Every Lambda, made from functions/registry.ts: one per API route, workflow task and connector system.
// Grants follow each entry's `needs`, one narrow grant per need (PROMISES P15: least privilege).
import path from 'node:path';
import { Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CONSENT_WITHDRAWAL_ATTRIBUTES } from '../../functions/aws/crm-consents.ts';
import { DEADLINE_REMINDER_DAYS, ENV } from '../../functions/core/config.ts';
import { DEFAULT_ACK_TIMEOUT_MINUTES } from '../../functions/core/notifications.ts';
import type { SystemName } from '../../functions/core/schemas.ts';
import { systemSecretName } from '../../functions/core/systems.ts';
import { API_ROUTES, CONNECTORS, type Need, SCHEDULES, WORKFLOW_TASKS } from '../../functions/registry.ts';
import { WORKFLOW_EVENTS } from '../../functions/registry-deadlines.ts';
import { MAIL_EVENTS } from '../../functions/registry-mail.ts';
import { RETENTION_SWEEP } from '../../functions/registry-retention.ts';
import { MANUAL_CONNECTOR_NEEDS } from '../../functions/registry-tasks.ts';
import { TABLES } from '../../functions/tables.ts';
import { LAMBDA_BUNDLING } from '../bundling.ts';
import { acknowledge, arnRef } from '../nag.ts';
import { REPO_ROOT } from '../paths.ts';
import type { Settings } from '../settings.ts';
import type { Data } from './data.ts';
import type { Mail } from './mail.ts';

/** Tag naming the handler file of a Lambda; the local runtime maps logical ids to handlers by it. */
export const ENTRY_TAG = 'app:entry';
export const METRICS_NAMESPACE = 'PrivacyRights';
export const SERVICE_NAME = 'privacy-rights';

export type FunctionKind = 'api' | 'workflow' | 'connector' | 'scheduled' | 'export';

export interface FunctionsProps {
  settings: Settings;
  data: Data;
  mail: Mail;
  /** Base URL of the public API, for links in messages. */
  publicBaseUrl: string;
  /**
   * ARN of the request state machine, built from its fixed name rather than referenced: the state machine
   * refers to the task and connector functions, so a reference back would be a dependency cycle.
   */
  stateMachineArn: string;
  /** ARN of the retention sweep's state machine (P11), from its fixed name for the same reason. */
  retentionStateMachineArn: string;
}

const TIMEOUTS: Record<FunctionKind, Duration> = {
  // API Gateway gives up after 29 s; a route that takes longer has failed anyway.
  api: Duration.seconds(10),
  // Below the workflow's 60 s task timeouts, so a slow Lambda fails as a Lambda error the Retry sees.
  workflow: Duration.seconds(50),
  // Building a report or zip streams every export file once; below its 900 s task timeout.
  export: Duration.seconds(840),
  // Below a connector task's timeout (960 s, workflow/prepare.ts): an export streams a whole system's records.
  connector: Duration.seconds(840),
  // Sweeps work through a backlog a batch at a time; well inside the hour between two runs.
  scheduled: Duration.minutes(5),
};

/**
 * Where recipients' notification endpoints live (`{recipientsBaseUrl}` in the register), from context
 * `recipientsBaseUrl`. Until it is set, the `.invalid` default (RFC 6761: never resolves) keeps notices
 * unacknowledged, so the UnacknowledgedNotices alarm says so instead of data going anywhere.
 */
const DEFAULT_RECIPIENTS_BASE_URL = 'https://recipients.invalid';

export class Functions extends Construct {
  /** API route functions by route id. */
  readonly api = new Map<string, NodejsFunction>();
  /** Workflow task functions by task id (`${id}Function` in the ASL). */
  readonly tasks = new Map<string, NodejsFunction>();
  /** Connector functions by connector id (`${id}` in the ASL). */
  readonly connectors = new Map<string, NodejsFunction>();
  /** Scheduled functions by SCHEDULES id (EventBridge rules in infra/constructs/schedules.ts). */
  readonly scheduled = new Map<string, NodejsFunction>();
  /** Functions run when a request workflow ends badly, by WORKFLOW_EVENTS id (EventBridge rules too). */
  readonly workflowEvents = new Map<string, NodejsFunction>();
  /** The retention sweep's task functions by id (`${id}Function` in its state machine). */
  readonly retention = new Map<string, NodejsFunction>();
  /** SES's bounce and complaint events, from the mail events topic (infra/constructs/mail-events.ts, P10). */
  readonly mailEvents: NodejsFunction;
  private readonly props: FunctionsProps;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    this.props = props;
    const { data } = props;

    for (const route of API_ROUTES) {
      // The deadline sweep on demand (POST /admin/sweeps/deadlines) reminds at the same steps as the hourly one.
      const extra: Record<string, string> =
        route.id === 'RunDeadlineSweep' ? { [ENV.deadlineReminderDays]: this.reminderDays() } : {};
      const fn = this.make(`${route.id}Function`, route.entry, 'api', route.needs, extra);
      this.api.set(route.id, fn);
    }
    for (const task of WORKFLOW_TASKS) {
      const fn = this.make(
        `${task.id}Function`,
        task.entry,
        task.long ? 'export' : 'workflow',
        task.needs,
        {},
      );
      this.tasks.set(task.id, fn);
    }
    for (const connector of CONNECTORS) {
      if (connector.kind === 'manual') {
        // A system without an API (P17): no store; it keeps its owner's task on the request and mails the link.
        const fn = this.make(connector.id, connector.entry, 'connector', MANUAL_CONNECTOR_NEEDS, {
          [ENV.connectorSystem]: connector.system,
        });
        this.connectors.set(connector.id, fn);
        continue;
      }
      const table = data.systems.get(connector.system);
      if (!table) throw new Error(`No table for system ${connector.system}`);
      // Reads the request for the verified address; reads and writes its own system's store, no other. A
      // configured system's store keeps its operation ledger, and its function reads that system's secret alone.
      const needs: Need[] = ['requests:read', 'exports:write', 'workflow:callback'];
      const fn = this.make(connector.id, connector.entry, 'connector', needs, {
        [ENV.systemTable(connector.system)]: table.tableName,
        ...(connector.kind ? { [ENV.connectorSystem]: connector.system } : {}),
      });
      table.grants.actions(fn, ...(connector.kind ? LEDGER_ITEMS : SYSTEM_ITEMS));
      data.key.grantEncryptDecrypt(fn);
      acknowledge(fn.role ?? fn, `AwsSolutions-IAM5[Resource::${arnRef(table)}/index/*]`, INDEX_REASON);
      const secret = connector.kind ? systemSecretName(connector.system) : undefined;
      if (secret) this.grantSystemSecret(fn, connector.id, secret);
      this.connectors.set(connector.id, fn);
    }
    // The workflow's connector list, from the registry: a configured system joins without editing the ASL (P17).
    this.tasks
      .get('Prepare')
      ?.addEnvironment(
        ENV.connectors,
        Stack.of(this).toJsonString(
          CONNECTORS.map((c) => ({ system: c.system, functionName: this.connectors.get(c.id)?.functionArn })),
        ),
      );
    for (const schedule of SCHEDULES) {
      const fn = this.make(`${schedule.id}Function`, schedule.entry, 'scheduled', schedule.needs, {
        [ENV.deadlineReminderDays]: this.reminderDays(),
      });
      this.scheduled.set(schedule.id, fn);
    }
    for (const rule of WORKFLOW_EVENTS) {
      const fn = this.make(`${rule.id}Function`, rule.entry, 'workflow', rule.needs, {});
      this.workflowEvents.set(rule.id, fn);
    }
    for (const task of RETENTION_SWEEP.tasks) {
      const fn = this.make(`${task.id}Function`, task.entry, 'scheduled', [...task.needs], {});
      this.retention.set(task.id, fn);
    }
    this.mailEvents = this.make(
      `${MAIL_EVENTS.id}Function`,
      MAIL_EVENTS.entry,
      'workflow',
      MAIL_EVENTS.needs,
      {},
    );
  }

  /** A configured system's secret, read by name (Secrets Manager appends six characters to every secret's ARN). */
  private grantSystemSecret(fn: NodejsFunction, id: string, name: string): void {
    const { region, account, partition } = Stack.of(this);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [`arn:${partition}:secretsmanager:${region}:${account}:secret:${name}-??????`],
      }),
    );
    acknowledge(
      fn.role ?? fn,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${name}-??????]`,
      `${id} reads its own system's secret, which the operator creates by name; the ARN ends in six random characters.`,
    );
  }

  private make(
    id: string,
    entry: string,
    kind: FunctionKind,
    asked: Need[],
    extraEnvironment: Record<string, string>,
  ): NodejsFunction {
    const { settings, data } = this.props;
    // Whoever appends to a chain writes its new head after the entry (DESIGN: Audit trail).
    const needs: Need[] =
      asked.includes('audit:write') && !asked.includes('audit-heads:write')
        ? [...asked, 'audit-heads:write']
        : asked;
    const logGroup = new LogGroup(this, `${id}Logs`, {
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: data.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Our own role: no AWS-managed policy, and log writes only to this function's log group.
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${entry}`,
    });
    logGroup.grantWrite(role);

    const fn = new NodejsFunction(this, id, {
      entry: path.join(REPO_ROOT, entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      // Streaming exports and zips: more memory is also more CPU on Lambda.
      memorySize: kind === 'export' || kind === 'connector' ? 1024 : 512,
      timeout: TIMEOUTS[kind],
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[settings.logLevel],
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      environment: { ...this.environment(), ...this.storesOf(needs), ...extraEnvironment },
      bundling: LAMBDA_BUNDLING,
    });
    Tags.of(fn).add(ENTRY_TAG, entry, { includeResourceTypes: ['AWS::Lambda::Function'] });
    for (const need of needs) this.grant(fn, need);
    this.acknowledgeFindings(fn, role, kind, needs);
    return fn;
  }

  private environment(): Record<string, string> {
    const { settings, data, mail, publicBaseUrl, stateMachineArn } = this.props;
    return {
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: settings.logLevel,
      NODE_OPTIONS: '--enable-source-maps',
      [ENV.requestsTable]: data.requests.tableName,
      [ENV.auditTable]: data.audit.tableName,
      [ENV.idempotencyTable]: data.idempotency.tableName,
      [ENV.erasuresTable]: data.erasures.tableName,
      [ENV.exportBucket]: data.exports.bucketName,
      [ENV.auditBucket]: data.auditHeads.bucketName,
      [ENV.appSecretArn]: data.appSecret.secretArn,
      [ENV.mailFrom]: settings.mailFrom,
      [ENV.staffInbox]: settings.staffInbox,
      [ENV.sesConfigurationSet]: mail.configurationSet.configurationSetName,
      [ENV.publicBaseUrl]: publicBaseUrl,
      [ENV.stateMachineArn]: stateMachineArn,
      [ENV.retentionStateMachineArn]: this.props.retentionStateMachineArn,
      [ENV.rateLimitPerAddress]: String(settings.rateLimitPerAddress),
      [ENV.rateLimitPerSource]: String(settings.rateLimitPerSource),
      [ENV.rateLimitWindowSeconds]: String(settings.rateLimitWindowSeconds),
      [ENV.recipientsBaseUrl]: this.recipientsBaseUrl(),
      [ENV.noticeAckTimeoutMinutes]: String(this.ackTimeoutMinutes()),
      [ENV.minimiseAfterDays]: String(settings.minimiseAfterDays),
    };
  }

  /** The system tables a function's needs name, so its wiring finds them (`<SYSTEM>_TABLE`). */
  private storesOf(needs: Need[]): Record<string, string> {
    const systems: Partial<Record<Need, SystemName>> = {
      'marketing:write': 'marketing',
      'crm:withdraw-consent': 'crm',
    };
    const env: Record<string, string> = {};
    // The retention sweep acts on every system's store (P11).
    if (needs.includes('systems:sweep') || needs.includes('systems:list'))
      for (const [system, table] of this.props.data.systems) env[ENV.systemTable(system)] = table.tableName;
    for (const need of needs) {
      const system = systems[need];
      const table = system && this.props.data.systems.get(system);
      if (system && table) env[ENV.systemTable(system)] = table.tableName;
    }
    return env;
  }

  private recipientsBaseUrl(): string {
    const value = String(this.node.tryGetContext('recipientsBaseUrl') ?? DEFAULT_RECIPIENTS_BASE_URL);
    // Notices carry personal data: TLS only.
    if (!/^https:\/\/[^\s/]+/.test(value))
      throw new Error('Context recipientsBaseUrl must be an https:// URL');
    return value;
  }

  private ackTimeoutMinutes(): number {
    const value = Number(this.node.tryGetContext('noticeAckTimeoutMinutes') ?? DEFAULT_ACK_TIMEOUT_MINUTES);
    if (!Number.isInteger(value) || value <= 0)
      throw new Error('Context noticeAckTimeoutMinutes must be a positive integer');
    return value;
  }

  /** The staff reminder steps of the deadline sweep (P9), from context `deadlineReminderDays`, e.g. `10,5,1`. */
  private reminderDays(): string {
    const value = String(this.node.tryGetContext('deadlineReminderDays') ?? DEADLINE_REMINDER_DAYS.join(','));
    if (!/^\d+(,\d+)*$/.test(value) || value.split(',').some((d) => Number(d) <= 0))
      throw new Error('Context deadlineReminderDays must be positive whole days, e.g. 10,5,1');
    return value;
  }

  private grant(fn: NodejsFunction, need: Need): void {
    const { data, mail, stateMachineArn } = this.props;
    switch (need) {
      // The item actions functions/aws/request-store.ts and its indexes use, no more: no Scan, batch, delete or
      // stream read (CDK's readData/readWriteData grant those too; test/integration/iam.test.ts found them unused).
      case 'requests:read':
        data.requests.grants.actions(fn, ...REQUESTS_READ);
        data.key.grantDecrypt(fn);
        return;
      case 'requests:write':
        data.requests.grants.actions(fn, ...REQUESTS_READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem');
        data.key.grantEncryptDecrypt(fn);
        return;
      case 'audit:write':
        // Append-only: query the chain, put new entries; no UpdateItem or DeleteItem on the audit table.
        data.audit.grants.actions(fn, 'dynamodb:Query', 'dynamodb:PutItem');
        data.key.grantEncryptDecrypt(fn);
        return;
      case 'idempotency':
        data.idempotency.grants.actions(fn, ...IDEMPOTENCY_ITEMS);
        data.key.grantEncryptDecrypt(fn);
        return;
      case 'mail':
        mail.grantSend(fn);
        return;
      case 'workflow:start':
        fn.addToRolePolicy(
          new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }),
        );
        this.grantWorkflowKey(fn);
        return;
      case 'sweep:start': {
        // Staff start a retention run (P11): that state machine only, and its key use for that machine only.
        const arn = this.props.retentionStateMachineArn;
        fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [arn] }));
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            resources: [this.props.data.key.keyArn],
            conditions: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': arn } },
          }),
        );
        return;
      }
      case 'workflow:callback':
        // Task tokens name the execution; the actions take no resource ARN, so `*` is the only form. A parked task
        // is answered: resumed, or failed (a rejection, a connector's failure); no function heartbeats one.
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
            resources: ['*'],
          }),
        );
        this.grantWorkflowKey(fn);
        return;
      case 'secret':
        data.appSecret.grantRead(fn);
        return;
      case 'audit-heads:write':
        data.auditHeads.grants.put(fn, 'heads/*');
        return;
      case 'audit-heads:read':
        data.auditHeads.grantRead(fn, 'heads/*');
        return;
      case 'exports:read':
        data.exports.grantRead(fn, 'exports/*');
        return;
      case 'exports:write':
        data.exports.grantPut(fn, 'exports/*');
        // Multipart uploads to a KMS bucket read back the data key to complete.
        data.key.grantDecrypt(fn);
        return;
      case 'marketing:write': {
        const marketing = data.systems.get('marketing');
        if (!marketing) throw new Error('No marketing store');
        // the opt-out's suppression entries and consents (functions/aws/suppression-store.ts, marketing-opt-out.ts)
        marketing.grants.actions(
          fn,
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        );
        data.key.grantEncryptDecrypt(fn);
        return;
      }
      case 'crm:withdraw-consent':
        this.grantConsentWithdrawal(fn);
        return;
      case 'systems:sweep':
        // what the sweep's erasures and purges do to a store; it reads no single item
        for (const table of data.systems.values()) table.grants.actions(fn, ...SWEEP_ITEMS);
        data.key.grantEncryptDecrypt(fn);
        return;
      case 'systems:list':
        // the subject list of every store (its own partition), read only
        for (const table of data.systems.values()) table.grants.actions(fn, 'dynamodb:Query');
        data.key.grantDecrypt(fn);
        return;
      case 'ledger:write':
        // functions/aws/erasure-ledger.ts: an entry per erasure, read back by subject
        data.erasures.grants.actions(fn, 'dynamodb:PutItem', 'dynamodb:Query');
        data.key.grantEncryptDecrypt(fn);
        return;
      case 'sweep-files':
        // Read and put, no delete: the bucket's lifecycle rule removes a run's files after a week.
        data.exports.grantRead(fn, 'retention/*');
        data.exports.grantPut(fn, 'retention/*');
        data.key.grantEncryptDecrypt(fn);
        return;
      case 'metrics':
        // Powertools writes metrics as embedded-metric-format log lines, which CloudWatch turns into metrics from
        // the function's own log group: no cloudwatch:PutMetricData call, so no grant (iam.test.ts found it unused).
        return;
    }
  }

  /**
   * CRM for the one-click opt-out (P5), fine-grained: the address index for partition keys only, and an update of
   * a customer's record naming only the consent's withdrawal attributes. No other read or write of CRM.
   */
  private grantConsentWithdrawal(fn: NodejsFunction): void {
    const { data } = this.props;
    const crm = data.systems.get('crm');
    if (!crm) throw new Error('No CRM store');
    const attributes = { 'dynamodb:Attributes': [...CONSENT_WITHDRAWAL_ATTRIBUTES] };
    const index = TABLES.system.indexes[0]?.name ?? 'byEmail';
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${crm.tableArn}/index/${index}`],
        conditions: {
          'ForAllValues:StringEquals': attributes,
          StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [crm.tableArn],
        conditions: {
          'ForAllValues:StringEquals': attributes,
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CUST#*'] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      }),
    );
    // The table's key, as CDK's own write grant gives it (the SSE of a customer-managed key).
    data.key.grant(
      fn,
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
    );
  }

  /** Execution input and task output are encrypted with the stack key, for this state machine only. */
  private grantWorkflowKey(fn: NodejsFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.props.data.key.keyArn],
        conditions: {
          StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': this.props.stateMachineArn },
        },
      }),
    );
  }

  private acknowledgeFindings(fn: NodejsFunction, role: Role, kind: FunctionKind, needs: Need[]): void {
    const { data } = this.props;
    acknowledge(
      fn,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the design fixes (DESIGN.md) and the handlers are tested on; moving to a newer ' +
        'runtime is a deliberate upgrade, not a drift.',
    );
    const starReasons = ['xray:PutTraceSegments/PutTelemetryRecords (active tracing) take no resource ARN'];
    if (needs.includes('workflow:callback'))
      starReasons.push('states:SendTaskSuccess/Failure are addressed by task token and take no resource ARN');
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      `Only actions without resource-level permissions: ${starReasons.join('; ')}.`,
    );

    if (needs.includes('requests:read') || needs.includes('requests:write'))
      acknowledge(role, `AwsSolutions-IAM5[Resource::${arnRef(data.requests)}/index/*]`, INDEX_REASON);
    if (needs.includes('audit-heads:read'))
      for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*'])
        acknowledge(
          role,
          `AwsSolutions-IAM5[Action::${action}]`,
          'CDK’s read grant, on the heads/ prefix of the audit heads bucket only.',
        );
    if (needs.includes('audit-heads:write') || needs.includes('audit-heads:read'))
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::${arnRef(data.auditHeads)}/heads/*]`,
        'Chain heads are one object per request and sequence number under heads/; Object Lock keeps each write-once.',
      );
    const writesEncrypted = kind === 'connector' || needs.some((n) => WRITES_ENCRYPTED.includes(n));
    if (writesEncrypted) {
      const keyReason =
        'Writing to a store encrypted with the stack key needs the GenerateDataKey*/ReEncrypt* family, on that one key only.';
      acknowledge(role, 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', keyReason);
      acknowledge(role, 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', keyReason);
    }
    if (needs.includes('exports:read') || needs.includes('exports:write')) {
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::${arnRef(data.exports)}/exports/*]`,
        'Exports are one prefix per request under exports/; the bucket holds nothing else for functions.',
      );
    }
    if (needs.includes('exports:read'))
      acknowledge(
        role,
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'CDK’s read grant, on the exports/ prefix only.',
      );
    if (needs.includes('exports:read'))
      acknowledge(
        role,
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'CDK’s read grant, on the export bucket only.',
      );
    if (needs.includes('exports:read'))
      acknowledge(
        role,
        'AwsSolutions-IAM5[Action::s3:List*]',
        'CDK’s read grant, on the export bucket only.',
      );
    if (needs.includes('systems:sweep') || needs.includes('systems:list'))
      for (const table of data.systems.values())
        acknowledge(role, `AwsSolutions-IAM5[Resource::${arnRef(table)}/index/*]`, INDEX_REASON);
    if (needs.includes('sweep-files')) {
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::${arnRef(data.exports)}/retention/*]`,
        'The retention sweep’s working files are one prefix per run under retention/, removed after a week.',
      );
      for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*'])
        acknowledge(
          role,
          `AwsSolutions-IAM5[Action::${action}]`,
          'CDK’s read and put grants, on the retention/ prefix of the export bucket only.',
        );
    }
    const marketing = data.systems.get('marketing');
    if (needs.includes('marketing:write') && marketing)
      acknowledge(role, `AwsSolutions-IAM5[Resource::${arnRef(marketing)}/index/*]`, INDEX_REASON);
    if (needs.includes('audit-heads:write') || needs.includes('exports:write'))
      acknowledge(
        role,
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'CDK’s put grant includes aborting this function’s own multipart uploads, under its one prefix.',
      );
  }
}

const REQUESTS_READ = ['dynamodb:GetItem', 'dynamodb:Query'];
// A system store's item actions (functions/aws/system-store.ts, the connector ledger): no Scan (only the operator's
// reapply-erasures scans), no batch, no stream read, which CDK's readWriteData would grant too.
const SYSTEM_ITEMS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];
// A configured system's store holds only its operation ledger, read and written by key (P17).
const LEDGER_ITEMS = SYSTEM_ITEMS.filter((action) => action !== 'dynamodb:Query');
// The sweep's erasures and purges on a store (functions/aws/system-store.ts): no single-item read.
const SWEEP_ITEMS = ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
// Powertools idempotency's record: get, conditional put, update, delete.
const IDEMPOTENCY_ITEMS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];
const INDEX_REASON = 'Queries use the table’s own indexes (index/*), on that one table only.';
const WRITES_ENCRYPTED: Need[] = [
  'requests:write',
  'audit:write',
  'idempotency',
  'audit-heads:write',
  'exports:write',
  'marketing:write',
  'crm:withdraw-consent',
  // the retention sweep's run files are put encrypted with the stack key
  'sweep-files',
];
