// The request workflow: Step Functions STANDARD, defined in statemachines/request.asl.json (one definition,
// run unchanged on AWS and by the local runtime).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  CustomerManagedEncryptionConfiguration,
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CONNECTORS, WORKFLOW_TASKS } from '../../functions/registry.ts';
import { acknowledge } from '../nag.ts';
import { REPO_ROOT } from '../paths.ts';

export const DEFINITION_FILE = 'statemachines/request.asl.json';

export interface WorkflowProps {
  key: IKey;
  /** Fixed, so functions can know the ARN without referencing the state machine (and the key grants match). */
  stateMachineName: string;
  /** Workflow task functions by task id. */
  tasks: ReadonlyMap<string, IFunction>;
  /** Connector functions by connector id. */
  connectors: ReadonlyMap<string, IFunction>;
}

export class Workflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const substitutions: Record<string, string> = {};
    const invoked: IFunction[] = [];
    for (const task of WORKFLOW_TASKS) {
      const fn = required(props.tasks, task.id);
      substitutions[`${task.id}Function`] = fn.functionArn;
      invoked.push(fn);
    }
    // Prepare lists the connectors (ENV.connectors); the role may invoke exactly them and the tasks.
    for (const connector of CONNECTORS) invoked.push(required(props.connectors, connector.id));

    const logs = new LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps Step Functions' log delivery from growing the account's resource policy.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      // Also needed for the key: CDK scopes the role's KMS grant to the ARN built from this name.
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      // Inline (not DefinitionBody.fromFile, which uploads an S3 asset) so the template carries the definition
      // itself: DefinitionString plus DefinitionSubstitutions, which the local runtime reads.
      definitionBody: DefinitionBody.fromString(readFileSync(path.join(REPO_ROOT, DEFINITION_FILE), 'utf8')),
      definitionSubstitutions: substitutions,
      // Payloads carry ids and counts only, and even those stay out of the logs (P15).
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      encryptionConfiguration: new CustomerManagedEncryptionConfiguration(props.key, Duration.minutes(5)),
    });
    // Exactly these functions, unqualified, as the definition names them.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: invoked.map((fn) => fn.functionArn),
      }),
    );
    acknowledge(
      this.stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'Log delivery (logs:*LogDelivery*, DescribeLogGroups, resource policies) and X-Ray (PutTraceSegments) ' +
        'take no resource ARN; Step Functions requires them on * for logging and tracing.',
    );
  }
}

function required<T>(map: ReadonlyMap<string, T>, id: string): T {
  const value = map.get(id);
  if (!value) throw new Error(`No function for ${id}`);
  return value;
}
