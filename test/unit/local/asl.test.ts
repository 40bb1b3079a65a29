// Turning the synthesized template into the ASL the local runtime runs.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is CloudFormation's syntax here, not JavaScript's
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type CfnTemplate,
  IntrinsicResolver,
  lambdaFunctions,
  resolveStateMachine,
  synthesizeStateMachine,
} from '../../../local/asl.ts';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const ARN = (id: string) => `arn:aws:lambda:eu-west-1:000000000000:function:${id}`;

const lambda = (entry: string, extra: object = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Timeout: 50, MemorySize: 512, Tags: [{ Key: 'app:entry', Value: entry }], ...extra },
});

function template(machine: Record<string, unknown>): CfnTemplate {
  return {
    Parameters: { Stage: { Default: 'v1' } },
    Resources: {
      PrepareFn1234: lambda('functions/workflow/prepare.ts'),
      BillingFn99: lambda('functions/connectors/billing/handler.ts'),
      Helper: { Type: 'AWS::Lambda::Function', Properties: { Timeout: 900 } },
      Requests: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: machine },
    },
  };
}

describe('Local runtime: ASL from the template', () => {
  it('resolves Fn::Join, Fn::GetAtt and AWS::Partition in DefinitionString to placeholder ARNs', () => {
    // Prepare: the shape CDK gives a definition with tokens in it
    const definitionString = {
      'Fn::Join': [
        '',
        [
          '{"StartAt":"Prepare","States":{"Prepare":{"Type":"Task","Resource":"arn:',
          { Ref: 'AWS::Partition' },
          ':states:::lambda:invoke","Parameters":{"FunctionName":"',
          { 'Fn::GetAtt': ['PrepareFn1234', 'Arn'] },
          '","Payload.$":"$"},"End":true}}}',
        ],
      ],
    };
    // Act
    const resolved = resolveStateMachine(template({ DefinitionString: definitionString }));
    // Assess
    const state = resolved.definition.States.Prepare as {
      Resource: string;
      Parameters: { FunctionName: string };
    };
    expect(state.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(state.Parameters.FunctionName).toBe(ARN('PrepareFn1234'));
    expect(resolved.name).toBe('Machine');
  });

  it('applies DefinitionSubstitutions whose values are intrinsic functions', () => {
    const resolved = resolveStateMachine(
      template({
        StateMachineName: { 'Fn::Sub': 'Request-${Stage}' },
        DefinitionString:
          '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":["${Prepare}","${Billing}","${Table}"],"End":true}}}',
        DefinitionSubstitutions: {
          Prepare: { 'Fn::GetAtt': ['PrepareFn1234', 'Arn'] },
          Billing: {
            'Fn::Sub':
              'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${BillingFn99}',
          },
          Table: { Ref: 'Requests' },
        },
      }),
    );
    expect((resolved.definition.States.A as { Result: string[] }).Result).toEqual([
      ARN('PrepareFn1234'),
      ARN('BillingFn99'),
      'Requests',
    ]);
    expect(resolved.name).toBe('Request-v1');
  });

  it('maps every Lambda to its handler file by the app:entry tag, with its limits', () => {
    const functions = lambdaFunctions(template({ DefinitionString: '{}' }));
    expect(functions).toEqual([
      { name: 'PrepareFn1234', entry: 'functions/workflow/prepare.ts', timeoutSeconds: 50, memoryMb: 512 },
      {
        name: 'BillingFn99',
        entry: 'functions/connectors/billing/handler.ts',
        timeoutSeconds: 50,
        memoryMb: 512,
      },
    ]);
  });

  it('resolves the other intrinsic functions a definition may use', () => {
    const r = new IntrinsicResolver(
      {
        Conditions: { IsEu: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
        Mappings: { Limits: { Wait: { Seconds: 60 } } },
        Resources: { Fn: { Type: 'AWS::Lambda::Function' }, Bucket: { Type: 'AWS::S3::Bucket' } },
      },
      { region: 'eu-west-1', accountId: '000000000000', stackName: 'S' },
    );
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
    expect(r.resolve({ 'Fn::If': ['IsEu', 'yes', 'no'] })).toBe('yes');
    expect(r.resolve({ 'Fn::FindInMap': ['Limits', 'Wait', 'Seconds'] })).toBe(60);
    expect(r.resolve({ 'Fn::Sub': ['${X}-${!Literal}-${Fn.Arn}', { X: 'x' }] })).toBe(
      `x-\${Literal}-${ARN('Fn')}`,
    );
    expect(r.resolve({ 'Fn::GetAtt': 'Bucket.Arn' })).toBe('arn:aws:s3:::bucket');
    expect(r.resolve([1, { Ref: 'AWS::NoValue' }, 2])).toEqual([1, 2]);
    expect(() => r.resolve({ 'Fn::ImportValue': 'Other' })).toThrow(/cannot be resolved locally/);
    expect(() => r.resolve({ Ref: 'Missing' })).toThrow(/unknown Missing/);
  });

  it('refuses a template without exactly one state machine', () => {
    expect(() => resolveStateMachine({ Resources: {} })).toThrow(/found: none/);
  });

  it('runs the very state machine CDK synthesizes: every function it names has a handler file', async () => {
    const resolved = await synthesizeStateMachine(ROOT);
    const named = JSON.stringify(resolved.definition).match(/arn:aws:lambda:[^"]+/g) ?? [];
    expect(named.length).toBeGreaterThan(0);
    const byName = new Map(resolved.functions.map((f) => [f.name, f]));
    for (const arn of new Set(named)) {
      const fn = byName.get(arn.split(':').pop() as string);
      expect(fn, arn).toBeDefined();
      expect(existsSync(resolve(ROOT, fn?.entry ?? '')), fn?.entry).toBe(true);
    }
    expect(resolved.definition.StartAt).toBe('Prepare');
  }, 60_000);
});
