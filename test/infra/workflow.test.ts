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
  // The request workflow; the retention sweep has its own (test/infra/retention-sweep.test.ts).
  const machines = resourcesOfType(s.json, 'AWS::StepFunctions::StateMachine').filter(
    ([, m]) => props(m).StateMachineName === `${s.stack.stackName}-Request`,
  );
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
    // Assess: the synthesized state machine is STANDARD
    expect(sm.StateMachineType).toBe('STANDARD');
  });

  it('carries statemachines/request.asl.json verbatim, including the waitForTaskToken approval', () => {
    // Act: read the definition file and the synthesized definition
    const file = readFileSync(path.join(REPO_ROOT, DEFINITION_FILE), 'utf8');
    // Assess: they are the same text
    expect(sm.DefinitionString).toBe(file);
    // Act: parse the definition
    const asl = JSON.parse(sm.DefinitionString);
    // Assess: the approval step waits for a task token, with a timeout from the input
    expect(asl.States.AwaitApproval.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(asl.States.AwaitApproval.TimeoutSecondsPath).toBeDefined();
  });

  it('looks at every system again after an erasure acted, with a Catch per system, before AllDone (P3)', () => {
    // Act: parse the synthesized definition
    const { States } = JSON.parse(sm.DefinitionString);
    // Assess: RecordOutcomes leads an erasure to the Recheck Map, once; its results RecordRecheck takes to AllDone
    expect(States.RecordOutcomes.Next).toBe('AllDone');
    expect(States.AllDone.Choices[0]).toEqual({
      And: [
        { Variable: '$.operation', StringEquals: 'erase' },
        // Not IsPresent: aws-local-stepfunctions reads `IsPresent: false` as never true.
        { Not: { Variable: '$.recorded.rechecked', IsPresent: true } },
      ],
      Next: 'Recheck',
    });
    expect(States.RecordRecheck.ResultSelector.rechecked).toBe(true);
    expect(States.Recheck).toMatchObject({ Type: 'Map', ItemsPath: '$.connectors', Next: 'RecordRecheck' });
    expect(States.Recheck.ItemSelector.operation).toBe('recheck');
    const inSystem = States.Recheck.ItemProcessor.States.RecheckInSystem;
    expect(inSystem.Retry[0].ErrorEquals).toContain('ConnectorError');
    expect(inSystem.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecheckFailed' },
    ]);
    expect(States.RecordRecheck.Next).toBe('AllDone');
    expect(sm.DefinitionSubstitutions.RecordRecheckFunction).toBeDefined();
  });

  it('calls every system, with or without an API, in one task that waits for its token and retries a passing fault (P3, P17)', () => {
    // Act: every Task state inside the three per-system Maps
    const { States } = JSON.parse(sm.DefinitionString);
    const tasks = ['Locate', 'Execute', 'Recheck'].flatMap((map) =>
      Object.entries(States[map].ItemProcessor.States as Record<string, Json>).filter(
        ([, state]) => (state as { Type: string }).Type === 'Task',
      ),
    );
    // Assess: one task per map, whatever kind of system, each retrying ConnectorError before its Catch
    expect(tasks.map(([name]) => name)).toEqual(['LocateInSystem', 'ActInSystem', 'RecheckInSystem']);
    for (const [, state] of tasks)
      expect((state as { Retry: { ErrorEquals: string[] }[] }).Retry[0]?.ErrorEquals).toContain(
        'ConnectorError',
      );
  });

  it('substitutes every placeholder with the ARN of the matching registry function', () => {
    // Act: collect the ${...} placeholders of the definition
    const placeholders = [
      ...new Set([...sm.DefinitionString.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1])),
    ].sort();
    // Assess: one substitution per placeholder, each the ARN of its task Lambda
    expect(Object.keys(sm.DefinitionSubstitutions).sort()).toEqual(placeholders);
    for (const task of WORKFLOW_TASKS)
      expect(sm.DefinitionSubstitutions[`${task.id}Function`]).toEqual({
        'Fn::GetAtt': [lambdaId(task.entry), 'Arn'],
      });
  });

  it("lists every registry connector, configured systems included, with its function's ARN in Prepare (P17)", () => {
    // Prepare: Prepare's environment, where the connector list of the Locate and Act maps comes from
    const prepare = resourcesOfType(s.json, 'AWS::Lambda::Function').find(
      ([id]) => id === lambdaId('functions/workflow/prepare.ts'),
    );
    const [, parts] = props(prepare?.[1]).Environment.Variables.CONNECTORS['Fn::Join'] as [string, Json[]];
    // Act: pair each system named in the list with the function reference that follows it
    const listed = new Map<string, string>();
    parts.forEach((part, i) => {
      const system =
        typeof part === 'string' ? /"system":"([a-z-]+)","functionName":"$/.exec(part)?.[1] : undefined;
      const next = parts[i + 1] as { 'Fn::GetAtt'?: [string, string] } | undefined;
      if (system && next?.['Fn::GetAtt']) listed.set(system, next['Fn::GetAtt'][0]);
    });
    // Assess: exactly the registry's connectors, each its own function, and the definition has no list of its own
    expect([...listed.keys()]).toEqual(CONNECTORS.map((c) => c.system));
    for (const c of CONNECTORS)
      expect(listed.get(c.system)).toMatch(new RegExp(`^Functions${c.id}[0-9A-F]{8}$`));
    expect(sm.DefinitionString).not.toMatch(/Connector\}/);
  });

  it('logs every event but never execution data, and is traced and encrypted with the stack key', () => {
    // Assess: all events logged, without execution data; traced; encrypted with a customer-managed key
    expect(sm.LoggingConfiguration.Level).toBe('ALL');
    expect(sm.LoggingConfiguration.IncludeExecutionData).toBe(false);
    expect(sm.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.EncryptionConfiguration.Type).toBe('CUSTOMER_MANAGED_KMS_KEY');
    // Act: follow the log destination to its log group
    const logGroupId =
      sm.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    // Assess: kept a year
    expect(props(s.json.Resources[logGroupId]).RetentionInDays).toBe(365);
  });

  it('may invoke exactly the task and connector functions', () => {
    // Act: collect the statements of the state machine role's policies that invoke Lambdas
    const roleId = sm.RoleArn['Fn::GetAtt'][0];
    const statements = resourcesOfType(s.json, 'AWS::IAM::Policy')
      .filter(([, p]) => props(p).Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap(
        ([, p]) => props(p).PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    const invoke = statements.filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'));
    // Assess: one such statement
    expect(invoke).toHaveLength(1);
    // Act: list the Lambdas it names
    const invoked = ([invoke[0]?.Resource].flat() as { 'Fn::GetAtt': string[] }[])
      .map((r) => r['Fn::GetAtt'][0])
      .sort();
    // Assess: exactly the task and connector functions
    expect(invoked).toEqual([...WORKFLOW_TASKS, ...CONNECTORS].map((e) => lambdaId(e.entry)).sort());
  });
});
