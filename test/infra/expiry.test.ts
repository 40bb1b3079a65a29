// The expiry sweep on AWS (P9): its hourly EventBridge rule, its function's configuration and grants, and the sparse
// index it reads.
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, MINIMISE_AFTER_DAYS_DEFAULT } from '../../functions/core/config.ts';
import { ENTRY_TAG } from '../../infra/constructs/functions.ts';
import { type CfnResource, props, resourcesOfType, type Synthesized, synth, synthOnce } from './synth.ts';

const ENTRY = 'functions/scheduled/expiry-sweep.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthOnce();
});

const sweepOf = (json: Synthesized['json']): [string, CfnResource] => {
  const found = resourcesOfType(json, 'AWS::Lambda::Function').find(([, fn]) =>
    (props(fn).Tags as { Key: string; Value: string }[]).some(
      (t) => t.Key === ENTRY_TAG && t.Value === ENTRY,
    ),
  );
  if (!found) throw new Error(`No Lambda for ${ENTRY}`);
  return found;
};

describe('Stack: the expiry sweep (P9)', () => {
  it('runs the expiry sweep every hour from an EventBridge rule, with retries and no stale runs', () => {
    // Prepare: the sweep's function
    const [fnId] = sweepOf(s.json);
    // Act: find the rules that target it
    const rules = resourcesOfType(s.json, 'AWS::Events::Rule').filter(([, rule]) =>
      (props(rule).Targets as { Arn: unknown }[]).some((t) => JSON.stringify(t.Arn).includes(fnId)),
    );
    // Assess: one enabled hourly rule, retried twice, events no older than 30 minutes; EventBridge may invoke it
    expect(rules).toHaveLength(1);
    const rule = props(rules[0]?.[1]);
    expect(rule.ScheduleExpression).toBe('rate(1 hour)');
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 1800 });
    const invokes = resourcesOfType(s.json, 'AWS::Lambda::Permission').filter(
      ([, p]) =>
        JSON.stringify(props(p).FunctionName).includes(fnId) && props(p).Principal === 'events.amazonaws.com',
    );
    expect(invokes).toHaveLength(1);
  });

  it('gives the sweep the minimisation period, by default and from context minimiseAfterDays', () => {
    // Act: the default stack, and one with a 7-day period
    const byDefault = props(sweepOf(s.json)[1]).Environment.Variables[ENV.minimiseAfterDays];
    const custom = synth({ minimiseAfterDays: '7' });
    // Assess: 30 days by default, 7 when configured
    expect(byDefault).toBe(String(MINIMISE_AFTER_DAYS_DEFAULT));
    expect(props(sweepOf(custom.json)[1]).Environment.Variables[ENV.minimiseAfterDays]).toBe('7');
  });

  it('refuses a minimisation period that is not a positive number of days', () => {
    // Act, Assess: the synth fails
    expect(() => synth({ minimiseAfterDays: '0' })).toThrow(/minimiseAfterDays/);
  });

  it('lets the sweep query the requests table and its indexes, write requests and send mail, nothing more', () => {
    // Prepare: the sweep's role policy statements
    const [, fn] = sweepOf(s.json);
    const roleId = props(fn).Role['Fn::GetAtt'][0];
    const statements = resourcesOfType(s.json, 'AWS::IAM::Policy')
      .filter(([, p]) => props(p).Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap(([, p]) => props(p).PolicyDocument.Statement as { Action: string | string[] }[]);
    // Act: every action granted
    const actions = new Set(statements.flatMap((st) => [st.Action].flat()));
    // Assess: query, put and send mail; no workflow, no secret, no delete of audit entries
    for (const action of ['dynamodb:Query', 'dynamodb:PutItem', 'ses:SendEmail'])
      expect(actions).toContain(action);
    for (const action of ['states:StartExecution', 'secretsmanager:GetSecretValue'])
      expect(actions).not.toContain(action);
  });

  it('adds the sparse byMinimise index (minimise, closedAt) to the requests table', () => {
    // Act: find the table with the byStatus index (the requests table) and its indexes
    const tables = resourcesOfType(s.json, 'AWS::DynamoDB::Table').map(([, t]) => props(t));
    const requests = tables.find((t) =>
      (t.GlobalSecondaryIndexes ?? []).some((i: { IndexName: string }) => i.IndexName === 'byStatus'),
    );
    const index = (
      (requests?.GlobalSecondaryIndexes ?? []) as { IndexName: string; KeySchema: unknown }[]
    ).find((i) => i.IndexName === 'byMinimise');
    // Assess: keyed by queue and close time, both strings
    expect(index?.KeySchema).toEqual([
      { AttributeName: 'minimise', KeyType: 'HASH' },
      { AttributeName: 'closedAt', KeyType: 'RANGE' },
    ]);
    const types = Object.fromEntries(
      ((requests?.AttributeDefinitions ?? []) as { AttributeName: string; AttributeType: string }[]).map(
        (a) => [a.AttributeName, a.AttributeType],
      ),
    );
    expect([types.minimise, types.closedAt]).toEqual(['S', 'S']);
  });
});
