// EventBridge rules for the scheduled functions of functions/registry.ts SCHEDULES (e.g. the hourly notice
// sweep, P13). The local runtime runs the same handlers on timers.
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SCHEDULES } from '../../functions/registry.ts';

export interface SchedulesProps {
  /** Scheduled functions by SCHEDULES id. */
  functions: ReadonlyMap<string, IFunction>;
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
  }
}
