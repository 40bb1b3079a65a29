// The retention sweep (P11): its own small Step Functions state machine (statemachines/retention-sweep.asl.json)
// with a Distributed Map over the batch files in S3, started every night by an EventBridge rule. The local runtime
// runs the same task handlers in turn instead (local/timers.ts): its interpreter has no Distributed Map.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Arn, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  CustomerManagedEncryptionConfiguration,
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RETENTION_SWEEP } from '../../functions/registry-retention.ts';
import { acknowledge } from '../nag.ts';
import { REPO_ROOT } from '../paths.ts';

export const SWEEP_DEFINITION_FILE = RETENTION_SWEEP.definition;

export interface RetentionSweepProps {
  key: IKey;
  /** The sweep's task functions by RETENTION_SWEEP id. */
  functions: ReadonlyMap<string, IFunction>;
  /** Where the batch files lie (under retention/): the export bucket. */
  bucket: IBucket;
  /** A dry run lists who would go and changes nothing (context `retentionDryRun`). */
  dryRun: boolean;
}

export class RetentionSweep extends Construct {
  readonly stateMachine: StateMachine;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: RetentionSweepProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = `${stack.stackName}-RetentionSweep`;
    const substitutions: Record<string, string> = { SweepBucket: props.bucket.bucketName };
    const invoked: IFunction[] = [];
    for (const task of RETENTION_SWEEP.tasks) {
      const fn = props.functions.get(task.id);
      if (!fn) throw new Error(`No function for ${task.id}`);
      substitutions[`${task.id}Function`] = fn.functionArn;
      invoked.push(fn);
    }

    const logs = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(
        readFileSync(path.join(REPO_ROOT, SWEEP_DEFINITION_FILE), 'utf8'),
      ),
      definitionSubstitutions: substitutions,
      // Payloads hold run ids, keys and counts, and even those stay out of the logs (P15).
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      encryptionConfiguration: new CustomerManagedEncryptionConfiguration(props.key, Duration.minutes(5)),
      // A whole base in batches of 500 takes minutes; a day is the most a run may take before the next.
      timeout: Duration.hours(23),
    });
    const role = this.stateMachine.role;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: invoked.map((f) => f.functionArn),
      }),
    );
    // The Distributed Map's ItemReader lists the run's batch files, and nothing else of the bucket.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['retention/*'] } },
      }),
    );
    // A Distributed Map runs each batch as a child execution of this very state machine.
    const self = Arn.format(
      {
        service: 'states',
        resource: 'stateMachine',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      stack,
    );
    const executions = Arn.format(
      {
        service: 'states',
        resource: 'execution',
        resourceName: `${name}/*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      stack,
    );
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [self] }));
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [executions],
      }),
    );
    acknowledge(
      this.stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'Log delivery (logs:*LogDelivery*, DescribeLogGroups, resource policies) and X-Ray (PutTraceSegments) ' +
        'take no resource ARN; Step Functions requires them on * for logging and tracing.',
    );
    acknowledge(
      this.stateMachine,
      `AwsSolutions-IAM5[Resource::arn:aws:states:${stack.region}:<AWS::AccountId>:execution:${name}/*]`,
      'The Distributed Map describes and stops its own child executions, whose names it chooses.',
    );

    this.rule = new Rule(this, 'Daily', {
      description: `Runs the retention sweep (P11) every night${props.dryRun ? ', as a dry run' : ''}`,
      schedule: Schedule.expression(RETENTION_SWEEP.schedule),
    });
    this.rule.addTarget(
      new SfnStateMachine(this.stateMachine, {
        input: RuleTargetInput.fromObject({ dryRun: props.dryRun }),
        retryAttempts: 2,
        maxEventAge: Duration.hours(2),
      }),
    );
  }
}
