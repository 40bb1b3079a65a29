import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONNECTORS, WORKFLOW_TASKS } from '../../functions/registry.ts';
import { ENTRY_TAG } from '../../infra/constructs/functions.ts';
import { DEFINITION_FILE } from '../../infra/constructs/workflow.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { type Json, props, resourcesOfType, type Synthesized, synthOnce } from './synth.ts';

let s: Synthesized;
let sm: Record<string, Json>;
beforeAll(() => {
  s = synthOnce();
  const machines = resourcesOfType(s.json, 'AWS::StepFunctions::StateMachine');
  expect(machines).toHaveLength(1);
  sm = props(machines[0]?.[1]);
});

/** The logical id of the Lambda whose handler file is `entry`. */
const lambdaId = (entry: string) =>
  resourcesOfType(s.json, 'AWS::Lambda::Function').find(([, fn]) =>
    (props(fn).Tags as { Key: string; Value: string }[]).some(
      (t) => t.Key === ENTRY_TAG && t.Value === entry,
    ),
  )?.[0];

describe('Stack: request workflow', () => {
  it('is a STANDARD state machine (exactly-once start by name, waits up to a year)', () => {
    expect(sm.StateMachineType).toBe('STANDARD');
  });

  it('carries statemachines/request.asl.json verbatim, including the waitForTaskToken approval', () => {
    const file = readFileSync(path.join(REPO_ROOT, DEFINITION_FILE), 'utf8');
    expect(sm.DefinitionString).toBe(file);
    const asl = JSON.parse(sm.DefinitionString);
    expect(asl.States.AwaitApproval.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(asl.States.AwaitApproval.TimeoutSecondsPath).toBeDefined();
  });

  it('substitutes every placeholder with the ARN of the matching registry function', () => {
    const placeholders = [
      ...new Set([...sm.DefinitionString.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1])),
    ].sort();
    expect(Object.keys(sm.DefinitionSubstitutions).sort()).toEqual(placeholders);
    for (const task of WORKFLOW_TASKS)
      expect(sm.DefinitionSubstitutions[`${task.id}Function`]).toEqual({
        'Fn::GetAtt': [lambdaId(task.entry), 'Arn'],
      });
    for (const connector of CONNECTORS)
      expect(sm.DefinitionSubstitutions[connector.id]).toEqual({
        'Fn::GetAtt': [lambdaId(connector.entry), 'Arn'],
      });
  });

  it('logs every event but never execution data, and is traced and encrypted with the stack key', () => {
    expect(sm.LoggingConfiguration.Level).toBe('ALL');
    expect(sm.LoggingConfiguration.IncludeExecutionData).toBe(false);
    expect(sm.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.EncryptionConfiguration.Type).toBe('CUSTOMER_MANAGED_KMS_KEY');
    const logGroupId =
      sm.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(props(s.json.Resources[logGroupId]).RetentionInDays).toBe(365);
  });

  it('may invoke exactly the task and connector functions', () => {
    const roleId = sm.RoleArn['Fn::GetAtt'][0];
    const statements = resourcesOfType(s.json, 'AWS::IAM::Policy')
      .filter(([, p]) => props(p).Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap(
        ([, p]) => props(p).PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    const invoke = statements.filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    const invoked = ([invoke[0]?.Resource].flat() as { 'Fn::GetAtt': string[] }[])
      .map((r) => r['Fn::GetAtt'][0])
      .sort();
    expect(invoked).toEqual([...WORKFLOW_TASKS, ...CONNECTORS].map((e) => lambdaId(e.entry)).sort());
  });
});
