// EventBridge rules for the scheduled functions of functions/registry.ts SCHEDULES (e.g. the hourly notice
// sweep, P13, and the hourly deadline sweep, P9), and for the functions run when a request workflow ends badly
// (WORKFLOW_EVENTS). The local runtime runs the same handlers on timers and at the local engine's execution ends.
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SCHEDULES } from '../../functions/registry.ts';
import { WORKFLOW_EVENTS } from '../../functions/registry-deadlines.ts';

export interface SchedulesProps {
  /** Scheduled functions by SCHEDULES id. */
  functions: ReadonlyMap<string, IFunction>;
  /** WORKFLOW_EVENTS functions by id, and the state machine whose execution ends they hear of. */
  workflowEvents?: ReadonlyMap<string, IFunction>;
  stateMachineArn?: string;
}

export class Schedules extends Construct {
  /** The rule of each SCHEDULES entry, by id. */
  readonly rules = new Map<string, Rule>();

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    for (const schedule of SCHEDULES) {
      const fn = props.functions.get(schedule.id);
      if (!fn) throw new Error(`No function for schedule ${schedule.id}`);
      const rule = new Rule(this, `${schedule.id}Rule`, {
        description: `Runs ${schedule.entry} (${schedule.schedule})`,
        schedule: Schedule.expression(schedule.schedule),
      });
      // A missed run is made good by the next one, so a short retry window is enough and no dead-letter queue.
      rule.addTarget(new LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.minutes(30) }));
      this.rules.set(schedule.id, rule);
    }
    for (const spec of WORKFLOW_EVENTS) {
      const fn = props.workflowEvents?.get(spec.id);
      if (!fn || !props.stateMachineArn) continue;
      const rule = new Rule(this, `${spec.id}Rule`, {
        description: `Runs ${spec.entry} when a request workflow ends ${spec.statuses.join(' or ')}`,
        eventPattern: {
          source: ['aws.states'],
          detailType: ['Step Functions Execution Status Change'],
          detail: { stateMachineArn: [props.stateMachineArn], status: spec.statuses },
        },
      });
      // A lost event leaves the flag unset, but never the failure unseen: the ExecutionsFailed alarm fires anyway.
      rule.addTarget(new LambdaFunction(fn, { retryAttempts: 8, maxEventAge: Duration.hours(6) }));
      this.rules.set(spec.id, rule);
    }
  }
}
