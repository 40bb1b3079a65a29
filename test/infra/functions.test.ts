import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_WITHDRAWAL_ATTRIBUTES } from '../../functions/aws/crm-consents.ts';
import { ENV } from '../../functions/core/config.ts';
import { systemSecretName } from '../../functions/core/systems.ts';
import { API_ROUTES, CONNECTORS, SCHEDULES, WORKFLOW_TASKS } from '../../functions/registry.ts';
import { WORKFLOW_EVENTS } from '../../functions/registry-deadlines.ts';
import { MAIL_EVENTS } from '../../functions/registry-mail.ts';
import { RETENTION_SWEEP } from '../../functions/registry-retention.ts';
import { ENTRY_TAG } from '../../infra/constructs/functions.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { type CfnResource, cdkPath, props, resourcesOfType, type Synthesized, synthOnce } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthOnce();
});

/** Our Lambdas: not CDK's own deploy-time handler of the site files (test/infra/site.test.ts covers it). */
const lambdas = () =>
  resourcesOfType(s.json, 'AWS::Lambda::Function').filter(
    ([, fn]) => !cdkPath(fn).includes('/Custom::CDKBucketDeployment'),
  );
const entryOf = (fn: CfnResource) =>
  (props(fn).Tags as { Key: string; Value: string }[]).find((t) => t.Key === ENTRY_TAG)?.Value;
const lambdaFor = (entry: string) => {
  const found = lambdas().find(([, fn]) => entryOf(fn) === entry);
  if (!found) throw new Error(`No Lambda for ${entry}`);
  return found;
};
/** A connector's Lambda, by its registry id: configured systems of one kind share a handler file. */
const connectorLambda = (c: (typeof CONNECTORS)[number]) => {
  const found = lambdas().find(([id]) => new RegExp(`^Functions${c.id}[0-9A-F]{8}$`).test(id));
  if (!found) throw new Error(`No Lambda for ${c.id}`);
  return found;
};
/** Every statement of the inline policies attached to a Lambda's role. */
const statementsOf = (fn: CfnResource) => {
  const roleId = props(fn).Role['Fn::GetAtt'][0];
  return resourcesOfType(s.json, 'AWS::IAM::Policy')
    .filter(([, p]) => props(p).Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap(
      ([, p]) => props(p).PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
};

describe('Stack: Lambda functions', () => {
  it('makes one Lambda per API route, workflow task, connector and sweep task, tagged with its handler file', () => {
    // Prepare: the handler file of every registry entry
    const expected = [
      ...API_ROUTES,
      ...WORKFLOW_TASKS,
      ...CONNECTORS,
      ...SCHEDULES,
      ...WORKFLOW_EVENTS,
      ...RETENTION_SWEEP.tasks,
      MAIL_EVENTS,
    ]
      .map((e) => e.entry)
      .sort();
    // Act: read each Lambda's handler tag
    const entries = lambdas()
      .map(([, fn]) => entryOf(fn))
      .sort();
    // Assess: one Lambda per entry, and each entry's file exists
    expect(entries).toEqual(expected);
    for (const entry of expected) expect(existsSync(path.join(REPO_ROOT, entry)), entry).toBe(true);
  });

  it('runs every Lambda on Node.js 22 on arm64, traced, with source maps', () => {
    // Act: walk every Lambda
    for (const [id, fn] of lambdas()) {
      // Assess: Node.js 22, arm64, active tracing, source maps, the metrics namespace
      const p = props(fn);
      expect(p.Runtime, id).toBe('nodejs22.x');
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(p.Environment.Variables.NODE_OPTIONS, id).toBe('--enable-source-maps');
      expect(p.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE, id).toBe('PrivacyRights');
    }
  });

  it('gives every Lambda its own log group with a retention', () => {
    // Act: follow every Lambda to its log group
    const seen = new Set<string>();
    for (const [id, fn] of lambdas()) {
      const logGroupId = props(fn).LoggingConfig.LogGroup.Ref as string;
      const logGroup = s.json.Resources[logGroupId];
      // Assess: a KMS-encrypted log group kept a year, one per Lambda
      expect(logGroup?.Type, id).toBe('AWS::Logs::LogGroup');
      expect(props(logGroup).RetentionInDays, id).toBe(365);
      expect(props(logGroup).KmsKeyId, id).toBeDefined();
      seen.add(logGroupId);
    }
    expect(seen.size).toBe(lambdas().length);
  });

  it('uses no AWS-managed policy on any Lambda role', () => {
    // Act: follow every Lambda to its role
    for (const [, fn] of lambdas()) {
      const role = s.json.Resources[props(fn).Role['Fn::GetAtt'][0]];
      // Assess: the role has no managed policy
      expect(props(role).ManagedPolicyArns).toBeUndefined();
    }
  });

  it('hands every Lambda the configuration names of ENV', () => {
    // Prepare: every configuration name the handlers read
    const names = [
      ENV.requestsTable,
      ENV.auditTable,
      ENV.idempotencyTable,
      ENV.exportBucket,
      ENV.auditBucket,
      ENV.appSecretArn,
      ENV.mailFrom,
      ENV.staffInbox,
      ENV.sesConfigurationSet,
      ENV.publicBaseUrl,
      ENV.stateMachineArn,
      ENV.rateLimitPerAddress,
      ENV.rateLimitPerSource,
      ENV.rateLimitWindowSeconds,
    ];
    // Act: read every Lambda's environment
    for (const [id, fn] of lambdas()) {
      const vars = props(fn).Environment.Variables;
      // Assess: all names set; sender address and rate limits as configured
      for (const name of names) expect(vars[name], `${id} ${name}`).toBeDefined();
      expect(vars[ENV.mailFrom]).toBe('privacy@jsm.be');
      expect(vars[ENV.rateLimitPerAddress]).toBe('5');
      expect(vars[ENV.rateLimitPerSource]).toBe('20');
      expect(vars[ENV.rateLimitWindowSeconds]).toBe('3600');
    }
  });

  it('points STATE_MACHINE_ARN at the request state machine', () => {
    // Act: find the request state machine
    const [smId, sm] = resourcesOfType(s.json, 'AWS::StepFunctions::StateMachine')[0] ?? [];
    const name = props(sm).StateMachineName as string;
    // Assess: it exists, and every Lambda's STATE_MACHINE_ARN names it
    expect(smId).toBeDefined();
    for (const [id, fn] of lambdas()) {
      expect(JSON.stringify(props(fn).Environment.Variables[ENV.stateMachineArn]), id).toContain(
        `:stateMachine:${name}`,
      );
    }
  });

  it('lets each connector read and write only its own system store', () => {
    // Prepare: each connector system's table, as its Lambda's environment names it
    // A system without an API (P17) has no store: it must reach none.
    const systemTables = new Map(
      CONNECTORS.filter((c) => c.kind !== 'manual').map((c) => [
        c.system,
        props(connectorLambda(c)[1]).Environment.Variables[ENV.systemTable(c.system)].Ref,
      ]),
    );
    for (const connector of CONNECTORS) {
      // Act: collect the connector's role policy
      const [, fn] = connectorLambda(connector);
      const policy = JSON.stringify(statementsOf(fn));
      // Assess: it names its own table and no other; no other system's table in its environment
      for (const [system, tableId] of systemTables) {
        if (system === connector.system) expect(policy, system).toContain(tableId);
        else expect(policy, `${connector.system} must not reach ${system}`).not.toContain(tableId);
      }
      for (const other of CONNECTORS.filter((c) => c.system !== connector.system))
        expect(props(fn).Environment.Variables[ENV.systemTable(other.system)]).toBeUndefined();
    }
  });

  it("gives a configured system's connector its own secret alone, and no other function that secret (P15, P17)", () => {
    // Prepare: the configured connectors and the secret each one's file names
    const configured = CONNECTORS.filter((c) => c.kind === 'http');
    expect(configured.length).toBeGreaterThan(0);
    const secrets = configured.map((c) => systemSecretName(c.system) as string);
    for (const [i, connector] of configured.entries()) {
      // Act: the Secrets Manager statements of its role, and its environment
      const [, fn] = connectorLambda(connector);
      const reads = statementsOf(fn).filter((st) => JSON.stringify(st.Action).includes('secretsmanager:'));
      // Assess: GetSecretValue on its own secret's name (any six-character suffix) and nothing else
      expect(reads).toHaveLength(1);
      expect(reads[0]?.Action).toBe('secretsmanager:GetSecretValue');
      expect(JSON.stringify(reads[0]?.Resource)).toContain(`:secret:${secrets[i]}-??????`);
      expect(props(fn).Environment.Variables[ENV.connectorSystem]).toBe(connector.system);
    }
    // Assess: no other function may read these secrets
    const mine = new Set(configured.map((c) => connectorLambda(c)[0]));
    for (const [id, fn] of lambdas().filter(([id]) => !mine.has(id))) {
      const policy = JSON.stringify(statementsOf(fn));
      for (const secret of secrets) expect(policy, id).not.toContain(secret);
    }
  });

  it('lets only the functions that need it start the workflow, on this state machine only', () => {
    // Act: walk the API and workflow Lambdas, collecting their StartExecution statements
    for (const entry of [...API_ROUTES, ...WORKFLOW_TASKS]) {
      const [, fn] = lambdaFor(entry.entry);
      const starts = statementsOf(fn).filter((st) => [st.Action].flat().includes('states:StartExecution'));
      // Assess: one statement on a state machine where the entry needs workflow:start (the request workflow) or
      // sweep:start (the retention sweep's, P11), none otherwise
      if (entry.needs.includes('workflow:start') || entry.needs.includes('sweep:start')) {
        expect(starts, entry.entry).toHaveLength(1);
        expect(JSON.stringify(starts[0]?.Resource)).toContain(':stateMachine:');
        expect(JSON.stringify(starts[0]?.Resource).includes('-RetentionSweep')).toBe(
          entry.needs.includes('sweep:start'),
        );
      } else expect(starts, entry.entry).toHaveLength(0);
    }
  });

  it('never lets a function update or delete audit entries (append-only trail, P15)', () => {
    // Prepare: the audit table, as the Lambdas' environment names it
    const auditTableId = props(lambdas()[0]?.[1]).Environment.Variables[ENV.auditTable].Ref as string;
    // Act: walk every policy statement on the audit table
    for (const [id, fn] of lambdas()) {
      for (const st of statementsOf(fn)) {
        if (!JSON.stringify(st.Resource).includes(auditTableId)) continue;
        const actions = [st.Action].flat();
        // Assess: none allows updating, deleting or batch-writing entries
        expect(actions, id).not.toContain('dynamodb:UpdateItem');
        expect(actions, id).not.toContain('dynamodb:DeleteItem');
        expect(actions, id).not.toContain('dynamodb:BatchWriteItem');
      }
    }
  });

  it("lets the one-click opt-out touch CRM only to record a consent's withdrawal, and finds both stores (P5, P15)", () => {
    // Prepare: the opt-out Lambda, and the CRM table as the CRM connector's environment names it
    const [, fn] = lambdaFor('functions/api/unsubscribe.ts');
    const crmTableId = props(lambdaFor('functions/connectors/crm/handler.ts')[1]).Environment.Variables[
      ENV.systemTable('crm')
    ].Ref as string;
    type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };
    // Act: its statements on the CRM table
    const onCrm = (statementsOf(fn) as Statement[]).filter((st) =>
      JSON.stringify(st.Resource).includes(crmTableId),
    );
    // Assess: a Query of the address index for named attributes, and an UpdateItem of named attributes, nothing else
    expect(onCrm.map((st) => [st.Action].flat()).sort()).toEqual([
      ['dynamodb:Query'],
      ['dynamodb:UpdateItem'],
    ]);
    const query = onCrm.find((st) => st.Action === 'dynamodb:Query');
    expect(JSON.stringify(query?.Resource)).toContain('/index/byEmail');
    for (const st of onCrm) {
      expect(st.Condition?.['ForAllValues:StringEquals']).toEqual({
        'dynamodb:Attributes': [...CONSENT_WITHDRAWAL_ATTRIBUTES],
      });
    }
    const update = onCrm.find((st) => st.Action === 'dynamodb:UpdateItem');
    expect(update?.Condition?.['ForAllValues:StringLike']).toEqual({ 'dynamodb:LeadingKeys': ['CUST#*'] });
    // Assess: both tables are in its environment, so its wiring finds them on AWS as it does locally
    const vars = props(fn).Environment.Variables;
    expect(vars[ENV.systemTable('crm')]).toBeDefined();
    expect(vars[ENV.systemTable('marketing')]).toBeDefined();
  });
});
