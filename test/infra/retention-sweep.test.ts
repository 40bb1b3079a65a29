import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/core/config.ts';
import { CONNECTORS } from '../../functions/registry.ts';
import { RETENTION_SWEEP } from '../../functions/registry-retention.ts';
import { ENTRY_TAG } from '../../infra/constructs/functions.ts';
import { SWEEP_DEFINITION_FILE } from '../../infra/constructs/retention-sweep.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { type Json, props, resourcesOfType, type Synthesized, synth, synthOnce } from './synth.ts';

let s: Synthesized;
let smId: string;
let sm: Record<string, Json>;
beforeAll(() => {
  s = synthOnce();
  const found = resourcesOfType(s.json, 'AWS::StepFunctions::StateMachine').find(
    ([, m]) => props(m).StateMachineName === `${s.stack.stackName}-RetentionSweep`,
  );
  if (!found) throw new Error('No retention sweep state machine');
  [smId] = found;
  sm = props(found[1]);
});

const lambdaId = (entry: string) =>
  resourcesOfType(s.json, 'AWS::Lambda::Function').find(([, fn]) =>
    (props(fn).Tags as { Key: string; Value: string }[]).some(
      (t) => t.Key === ENTRY_TAG && t.Value === entry,
    ),
  )?.[0];

/** The statements of the inline policies on a role, by the role's logical id. */
const statementsOfRole = (json: Synthesized['json'], roleId: string) =>
  resourcesOfType(json, 'AWS::IAM::Policy')
    .filter(([, p]) => props(p).Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap(([, p]) => props(p).PolicyDocument.Statement as { Action: string | string[]; Resource: Json }[]);

/** The rule that starts the sweep, and its target. */
const sweepRule = (json: Synthesized['json'], machineId: string) =>
  resourcesOfType(json, 'AWS::Events::Rule')
    .map(([, r]) => props(r))
    .find((r) => (r.Targets as { Arn: Json }[]).some((t) => JSON.stringify(t.Arn).includes(machineId)));

describe('Stack: retention sweep (P11)', () => {
  it('is its own STANDARD state machine, apart from the request workflow, carrying its definition file', () => {
    // Act: read the definition file
    const file = readFileSync(path.join(REPO_ROOT, SWEEP_DEFINITION_FILE), 'utf8');
    // Assess: a second state machine, STANDARD, with the file's text as its definition
    expect(resourcesOfType(s.json, 'AWS::StepFunctions::StateMachine')).toHaveLength(2);
    expect(sm.StateMachineType).toBe('STANDARD');
    expect(sm.DefinitionString).toBe(file);
  });

  it('sweeps the batches with a Distributed Map that reads the batch files from S3 (ItemReader)', () => {
    // Act: parse the definition and find its Map states
    const asl = JSON.parse(sm.DefinitionString);
    const maps = Object.values(asl.States as Record<string, Json>).filter((st) => st.Type === 'Map');
    const distributed = maps.find((m) => m.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED');
    // Assess: a Distributed Map whose items are the run's batch files, listed from S3, in the export bucket
    expect(distributed).toBeDefined();
    expect(distributed.ItemReader.Resource).toBe('arn:aws:states:::s3:listObjectsV2');
    expect(distributed.ItemReader.Parameters.Bucket).toBe(`\${SweepBucket}`);
    expect(distributed.ItemReader.Parameters['Prefix.$']).toBe('$.prefix');
    expect(asl.States.Plan.Parameters['prefix.$']).toContain("'retention/{}/batches/'");
    expect(sm.DefinitionSubstitutions.SweepBucket).toEqual({
      Ref: expect.stringMatching(/^DataExportBucket/),
    });
    // Assess: each child execution runs the batch handler; the item carries the run and the key, nothing more
    const task = distributed.ItemProcessor.States[distributed.ItemProcessor.StartAt];
    expect(task.Parameters.FunctionName).toBe(`\${SweepBatchFunction}`);
    expect(Object.keys(distributed.ItemSelector).sort()).toEqual(['dryRun.$', 'key.$', 'runId.$']);
  });

  it('substitutes each task with the ARN of its registry function, and may invoke exactly those', () => {
    // Act: read the substitutions and the role's invoke statement
    const invoke = statementsOfRole(s.json, sm.RoleArn['Fn::GetAtt'][0]).find((st) =>
      [st.Action].flat().includes('lambda:InvokeFunction'),
    );
    // Assess: one substitution per task, each the ARN of its Lambda; the role invokes those four only
    const expected = RETENTION_SWEEP.tasks.map((t) => ({ 'Fn::GetAtt': [lambdaId(t.entry), 'Arn'] }));
    for (const [i, t] of RETENTION_SWEEP.tasks.entries())
      expect(sm.DefinitionSubstitutions[`${t.id}Function`]).toEqual(expected[i]);
    const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
    expect(sorted([invoke?.Resource].flat())).toEqual(sorted(expected));
  });

  it('may start its own child executions and list only the retention/ prefix of the bucket', () => {
    // Act: the role's statements
    const statements = statementsOfRole(s.json, sm.RoleArn['Fn::GetAtt'][0]);
    const start = statements.find((st) => [st.Action].flat().includes('states:StartExecution'));
    const list = statements.find((st) => [st.Action].flat().includes('s3:ListBucket')) as Json;
    // Assess: StartExecution on this state machine alone; ListBucket conditioned on the prefix
    expect(JSON.stringify(start?.Resource)).toContain(':stateMachine:PrivacyRights-RetentionSweep');
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['retention/*'] } });
  });

  it('alarms staff when a run fails and when it could not erase some subjects (P11, P9)', () => {
    // Prepare: the alarms and the staff topic
    const alarms = resourcesOfType(s.json, 'AWS::CloudWatch::Alarm').map(([, a]) => props(a));
    const topic = resourcesOfType(s.json, 'AWS::SNS::Topic').find(([id]) => id.startsWith('Alarms'))?.[0];
    // Act: the one on this state machine's failed executions, and the one on the sweep's RetentionFailed metric
    const failedRun = alarms.find(
      (a) => a.MetricName === 'ExecutionsFailed' && JSON.stringify(a.Dimensions).includes(smId),
    );
    const failedSubjects = alarms.find(
      (a) => a.Metrics?.[0]?.MetricStat?.Metric?.MetricName === 'RetentionFailed',
    );
    // Assess: both tell the staff topic
    for (const alarm of [failedRun, failedSubjects]) {
      expect(alarm?.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm?.Threshold).toBe(1);
    }
  });

  it('is started every night by an EventBridge rule, as a real run unless the deployment says dry run', () => {
    // Act: find the rule targeting the sweep
    const rule = sweepRule(s.json, smId);
    // Assess: a daily cron schedule and the input {"dryRun": false}
    expect(rule?.ScheduleExpression).toBe('cron(30 2 * * ? *)');
    expect(JSON.parse(rule?.Targets[0].Input)).toEqual({ dryRun: false });
    // Act: synthesize with the dry-run setting
    const dry = synth({ retentionDryRun: 'true' });
    const dryId = resourcesOfType(dry.json, 'AWS::StepFunctions::StateMachine').find(
      ([, m]) => props(m).StateMachineName === `${dry.stack.stackName}-RetentionSweep`,
    )?.[0] as string;
    // Assess: the nightly run is a dry run
    expect(JSON.parse(sweepRule(dry.json, dryId)?.Targets[0].Input)).toEqual({ dryRun: true });
  });

  it('gives the sweep tasks that touch the stores every system table, and the batch task the ledger', () => {
    // Act: read the environment of the batch task
    const [, fn] =
      resourcesOfType(s.json, 'AWS::Lambda::Function').find(
        ([id]) => id === lambdaId('functions/scheduled/retention-batch.ts'),
      ) ?? [];
    const vars = props(fn).Environment.Variables;
    // Assess: every system table and the erasure ledger are named
    // A system without an API (P17) has no table of ours to sweep.
    for (const c of CONNECTORS.filter((x) => x.kind !== 'manual'))
      expect(vars[ENV.systemTable(c.system)], c.system).toBeDefined();
    expect(vars[ENV.erasuresTable]).toEqual({ Ref: expect.stringMatching(/^DataErasuresTable/) });
  });
});
