// IAM that is enough and no more (P15, Art. 32; P14: eu-west-1 only): every AWS call each bundle makes during a run
// of every request type and the sweeps is evaluated offline (@cloud-copilot/iam-simulate) against that function's
// role in the synthesized template; each call must be allowed, and each grant used by some call or acknowledged
// below with a reason. Connectors reach their own system's table and secret only.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../functions/aws/call-recorder.ts';
import { ENV } from '../../functions/core/config.ts';
import { dueDate } from '../../functions/core/deadlines.ts';
import { REMIND_BEFORE_DUE_SECONDS } from '../../functions/core/progress.ts';
import { allSystems, systemSecretName } from '../../functions/core/systems.ts';
import { CONNECTORS } from '../../functions/registry.ts';
import { lambdaFunctions } from '../../local/asl.ts';
import { readSynthesizedStack, type SynthesizedStack } from '../../local/bundles.ts';
import { eventually } from '../helpers/api.ts';
import { ensureBundles, ROOT } from '../helpers/bundles.ts';
import { everyOtherPath, remindersFire } from '../helpers/every-function.ts';
import { carryOutEveryRight, downloadEveryPackage, staffAndOptOut } from '../helpers/every-right.ts';
import {
  ACCOUNT,
  allowed,
  DeployedResolver,
  type IamRequest,
  iamRequests,
  matches,
  type PolicyDocument,
  REGION,
  readCallLog,
  rolePolicies,
} from '../helpers/iam.ts';
import { startRuntime } from '../helpers/runtime.ts';

/**
 * Grants no recorded call uses, reviewed: each holds for every function that has it. An action pattern as the
 * template writes it, optionally only on resources matching `resource`.
 */
const ACKNOWLEDGED: { action: string; resource?: string; reason: string }[] = [
  {
    action: 'logs:*',
    reason:
      'The Lambda service writes the function’s own log group with its role; the code makes no logs call.',
  },
  {
    action: 'xray:*',
    reason: 'Active tracing: the Lambda service sends the trace segments with the function’s role.',
  },
  {
    action: 'secretsmanager:DescribeSecret',
    reason: 'Part of CDK’s secret read grant: the secret’s metadata, never its value.',
  },
  {
    action: 's3:PutObject*',
    reason:
      'CDK’s put grant (legal hold, retention, tagging) on the function’s one prefix; no call sets them, the buckets’ defaults apply.',
  },
  {
    action: 's3:Abort*',
    reason:
      'Aborting the function’s own multipart uploads under its prefix, on a failed streamed upload only.',
  },
  {
    action: 's3:GetObject*',
    resource: '*auditheads*',
    reason:
      'A chain head’s body is read only for a head stored before heads named their hash in the key; the listing serves the rest.',
  },
  {
    action: 's3:GetBucket*',
    reason: 'Part of CDK’s read grant, on the export bucket only: its configuration, no object.',
  },
  {
    action: 's3:List*',
    reason:
      'Part of CDK’s read grant, on the export bucket and the function’s prefix: key names, which carry no personal data.',
  },
  // Paths one run of each request type does not take; each has its own integration test on the sources.
  {
    action: 'dynamodb:*',
    resource: '*IdempotencyTable*',
    reason:
      'Powertools idempotency: only requests that carry an Idempotency-Key reach it (optout, access-history tests).',
  },
  {
    action: 'dynamodb:*',
    resource: '*ErasuresTable*',
    reason:
      'The erasure ledger: read and pruned on a restore (reapply-erasures) and by the retention sweep when it erases.',
  },
  // The request and audit stores are granted by need (requests:read, requests:write, audit:write), each need
  // a few item actions (infra/constructs/functions.ts); a function uses part of them. Per table, never elsewhere.
  ...['GetItem', 'Query', 'PutItem', 'UpdateItem'].map((op) => ({
    action: `dynamodb:${op}`,
    resource: '*RequestsTable*',
    reason:
      'requests:read (GetItem, Query on the indexes) and requests:write (PutItem, UpdateItem) as one grant each; not every function reads by key and by index, or both puts and updates (follow-up: a need per action).',
  })),
  ...['PutItem', 'Query'].map((op) => ({
    action: `dynamodb:${op}`,
    resource: '*AuditTable*',
    reason:
      'audit:write: the expiry and notice sweeps append to a chain only when a request expires or a notice is resent (expiry, notices tests).',
  })),
  {
    action: 'dynamodb:GetItem',
    resource: '*Data*Table*',
    reason:
      'A connector’s own store: Powertools reads its ledger record back when a put meets a record it was not returned (the idempotency fallback).',
  },
  {
    action: 'dynamodb:DeleteItem',
    resource: '*DataMarketingTable*',
    reason:
      'The one-click opt-out deletes the address’s entries on that list (functions/aws/marketing-opt-out.ts); the run’s address has none on it (optout tests delete one).',
  },
  {
    action: 'dynamodb:PutItem',
    resource: '*Data*Table*',
    reason:
      'systems:sweep: the purge of restricted records shares the sweep’s grant, whose erasures move records (Put and Delete in one transaction).',
  },
  {
    action: 'ses:SendEmail',
    reason:
      'Reminders, expiry and deadline notices: mails the sweeps send only when something is due (deadlines, expiry tests).',
  },
  {
    action: 'states:SendTaskSuccess',
    reason: 'The approval’s resume, when the request still waits for it (rights, identity tests).',
  },
  {
    action: 'states:SendTaskFailure',
    reason:
      'A connector answers a failed operation so its state retries it; the run’s operations succeed (the fault suites fail them).',
  },
  {
    action: 'secretsmanager:GetSecretValue',
    reason:
      'Read on the paths that sign or hash (download links, the identity pick); cached five minutes per container.',
  },
  {
    action: 's3:GetObject*',
    resource: '*/retention/*',
    reason:
      'The retention sweep’s working files, read back when a run has batches to sweep (retention test).',
  },
  {
    action: 'kms:*',
    reason:
      'The stack key is used by DynamoDB, S3, Secrets Manager and Step Functions on the caller’s behalf (via the service), never called directly.',
  },
];

let stack: SynthesizedStack;
let resolver: DeployedResolver;
let calls: RecordedCall[] = [];
let environments = new Map<string, Record<string, string>>();
let dir: string;

beforeAll(async () => {
  await ensureBundles();
  dir = mkdtempSync(join(tmpdir(), 'jsm-iam-'));
  const callLog = join(dir, 'calls.jsonl');
  // Two letters received a month ago, on a clock 100 s before three days ahead of their due date: their windows
  // end at the reminder point a minute or two after the start, so the reminders run within the run (P9).
  const received = '2026-10-28T10:00:00Z';
  const reminderAt = dueDate(new Date(received)).getTime() - REMIND_BEFORE_DUE_SECONDS * 1000;
  const clock = new Date(reminderAt - 100_000).toISOString();
  const rt = await startRuntime({
    bundles: true,
    clock,
    env: { AWS_CALL_LOG: callLog, RATE_LIMIT_PER_SOURCE: '200', LOCAL_SCHEDULE_EVERY_MS: '5000' },
  });
  try {
    const reminders = remindersFire(rt, received);
    reminders.catch(() => undefined); // awaited below; meanwhile a failure is not unhandled
    const outcome = await carryOutEveryRight(rt);
    await downloadEveryPackage(rt);
    await staffAndOptOut(rt, outcome.access?.id as string);
    await everyOtherPath(rt, clock);
    await reminders;
    // one more round of the scheduled sweeps after the requests, on what they left (notices, closed requests)
    const sweeps = () => rt.logs().filter((l) => l.includes('Deadline sweep')).length;
    const before = sweeps();
    await eventually(async () => (sweeps() > before ? true : undefined), 30_000, 'another sweep');
  } finally {
    await rt.stop();
  }
  stack = readSynthesizedStack(ROOT);
  resolver = new DeployedResolver(stack);
  ({ calls, environments } = readCallLog(callLog));
}, 900_000);

afterAll(() => {
  if (dir && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
});

/** Local names (tables, buckets, secret, state machine) to deployed ones, through the variables that carry them. */
function deployedNames(): (local: string) => string {
  const names = new Map<string, string>();
  for (const fn of lambdaFunctions(stack.template)) {
    const variables = (
      stack.template.Resources[fn.name]?.Properties?.Environment as { Variables: Record<string, unknown> }
    )?.Variables;
    const local = environments.get(fn.name);
    if (!local || !variables) continue;
    for (const [name, value] of Object.entries(variables)) {
      const deployed = String(resolver.resolve(value));
      if (local[name] && local[name] !== deployed) names.set(local[name] as string, deployed);
    }
  }
  return (local) => names.get(local) ?? local;
}

let evaluation: ReturnType<typeof evaluate> | undefined;
const evaluated = () => {
  evaluation ??= evaluate();
  return evaluation;
};

/** Every recorded call as IAM requests, with the function's role, evaluated. */
async function evaluate() {
  const deployed = deployedNames();
  const roles = new Map<string, ReturnType<typeof rolePolicies>>();
  // Every function that ran has its grants checked, also one that made no AWS call at all.
  for (const fn of ran()) roles.set(fn, rolePolicies(stack, resolver, fn));
  const bucketPolicies = bucketPolicyByArn();
  const out: { fn: string; call: RecordedCall; request: IamRequest; allowed: boolean; detail: string }[] = [];
  for (const call of calls) {
    if (!roles.has(call.fn)) roles.set(call.fn, rolePolicies(stack, resolver, call.fn));
    const role = roles.get(call.fn) as ReturnType<typeof rolePolicies>;
    for (const request of iamRequests(call, deployed)) {
      const bucket = /^(arn:aws:s3:::[^/]+)/.exec(request.resource)?.[1];
      const verdict = await allowed(
        role.documents,
        role.roleArn,
        request,
        bucket ? bucketPolicies.get(bucket) : undefined,
      );
      out.push({ fn: call.fn, call, request, ...verdict });
    }
  }
  return { out, roles };
}

function bucketPolicyByArn(): Map<string, PolicyDocument> {
  const map = new Map<string, PolicyDocument>();
  for (const r of Object.values(stack.template.Resources)) {
    if (r.Type !== 'AWS::S3::BucketPolicy') continue;
    const bucket = String(resolver.resolve(r.Properties?.Bucket));
    map.set(`arn:aws:s3:::${bucket}`, resolver.resolve(r.Properties?.PolicyDocument) as PolicyDocument);
  }
  return map;
}

/** The functions that ran: each one's container announced itself in the call log, and any that made a call. */
const ran = () => new Set([...environments.keys(), ...calls.map((c) => c.fn)]);

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

describe('IAM that is enough and no more, on the synthesized roles (P15, Art. 32)', () => {
  it('runs every function of the synthesized template, so each role is checked against what it does (P15)', () => {
    // Prepare: the template's functions
    const all = lambdaFunctions(stack.template).map((f) => f.name);
    // Act
    const notRun = all.filter((fn) => !ran().has(fn));
    // Assess: a function no path of the run reaches would leave its role unchecked
    console.log(`[iam] functions run: ${all.length - notRun.length} of ${all.length}`);
    expect(notRun).toEqual([]);
    expect(all.length).toBeGreaterThan(40);
  });

  it('allows every AWS call every function made during a run of every request type and the sweeps (P15, P14)', async () => {
    // Act: evaluate each recorded call against its function's role
    const { out } = await evaluated();
    const denied = out.filter((e) => !e.allowed);
    // Assess: the run called AWS, every function that ran is checked, and nothing is denied
    const functions = new Set(out.map((e) => e.fn));
    console.log(
      `[iam] functions checked: ${functions.size} of ${lambdaFunctions(stack.template).length}; calls recorded: ${calls.length}; IAM requests: ${out.length}; allowed: ${out.length - denied.length}; denied: ${denied.length}`,
    );
    expect(calls.length).toBeGreaterThan(100);
    expect(denied.map((d) => `${d.fn}: ${d.request.action} ${d.request.resource} (${d.detail})`)).toEqual([]);
  });

  it('grants no action that no call used, unless acknowledged with a reason (P15, Art. 25(2))', async () => {
    // Prepare: what each function that ran was allowed to do, and did
    const { out, roles } = await evaluated();
    const unused: string[] = [];
    let grants = 0;
    // Act: every Allow statement's action patterns, per function that ran
    for (const [fn, role] of roles) {
      const used = out.filter((e) => e.fn === fn && e.allowed).map((e) => e.request);
      for (const { policy } of role.documents)
        for (const statement of policy.Statement.filter((s) => s.Effect === 'Allow'))
          for (const action of list(statement.Action)) {
            grants++;
            const resources = list(statement.Resource);
            const usedBy = used.some(
              (r) => matches(action, r.action, true) && resources.some((res) => matches(res, r.resource)),
            );
            const acknowledged = ACKNOWLEDGED.some(
              (a) =>
                matches(a.action, action, true) &&
                (!a.resource || resources.some((res) => matches(a.resource as string, res))),
            );
            if (!usedBy && !acknowledged) unused.push(`${fn}: ${action} on ${resources.join(', ')}`);
          }
    }
    // Assess
    console.log(`[iam] grants checked: ${grants}; unused and unacknowledged: ${unused.length}`);
    expect(unused).toEqual([]);
  });

  it('lets each connector reach only its own system’s table and secret (P15, Art. 32(1)(b))', async () => {
    // Prepare: every system's table (by the variable that names it) and every secret of the stack
    const resources = stack.template.Resources;
    const tables = new Map<string, string>();
    for (const fn of lambdaFunctions(stack.template)) {
      const environment = resources[fn.name]?.Properties?.Environment as {
        Variables?: Record<string, unknown>;
      };
      const variables = environment?.Variables ?? {};
      for (const system of allSystems()) {
        const value = variables[ENV.systemTable(system)];
        if (value)
          tables.set(
            system,
            String(resolver.resolve({ 'Fn::GetAtt': [(value as { Ref: string }).Ref, 'Arn'] })),
          );
      }
    }
    const secrets = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret')
      .map(([id]) => ({ id, arn: String(resolver.resolve({ Ref: id })) }))
      // the configured systems' secrets, which the operator creates by name (P17)
      .concat(
        allSystems().flatMap((system) => {
          const name = systemSecretName(system);
          return name
            ? [{ id: name, arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf` }]
            : [];
        }),
      );
    // every system but those without an API (P17), which keep no store
    expect([...tables.keys()].sort()).toEqual(
      CONNECTORS.filter((c) => c.kind !== 'manual')
        .map((c) => c.system)
        .sort(),
    );
    // Act: ask, for each connector, every data action on every other system's table and every secret not its own
    const reached: string[] = [];
    let checked = 0;
    for (const connector of CONNECTORS) {
      // by its logical id: configured systems of one kind share a handler file
      const fn = lambdaFunctions(stack.template).find((f) =>
        new RegExp(`^Functions${connector.id}[0-9A-F]{8}$`).test(f.name),
      );
      expect(fn, connector.id).toBeDefined();
      const role = rolePolicies(stack, resolver, fn?.name as string);
      const others = [...tables].filter(([system]) => system !== connector.system);
      const requests: IamRequest[] = [
        ...others.flatMap(([, arn]) =>
          ['GetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].flatMap(
            (op) => [
              { action: `dynamodb:${op}`, resource: arn, context: {} },
              { action: `dynamodb:${op}`, resource: `${arn}/index/byEmail`, context: {} },
            ],
          ),
        ),
        ...secrets
          .filter((s) => !s.id.toLowerCase().includes(connector.system))
          // a system without an API signs its owner's task link with the app secret (P17)
          .filter((s) => connector.kind !== 'manual' || !s.id.startsWith('DataAppSecret'))
          .map((s) => ({ action: 'secretsmanager:GetSecretValue', resource: s.arn, context: {} })),
      ].filter(
        (r) =>
          !r.resource.endsWith('/index/byEmail') ||
          !/(GetItem|PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/.test(r.action),
      );
      for (const request of requests) {
        checked++;
        if ((await allowed(role.documents, role.roleArn, request)).allowed)
          reached.push(`${connector.id}: ${request.action} ${request.resource}`);
      }
      // and its own table, if it has one, it does reach: by key for a configured system's ledger
      const own = tables.get(connector.system);
      if (own)
        expect(
          (
            await allowed(role.documents, role.roleArn, {
              action: connector.kind ? 'dynamodb:GetItem' : 'dynamodb:Query',
              resource: own,
              context: {},
            })
          ).allowed,
        ).toBe(true);
    }
    // Assess
    console.log(`[iam] connector requests to other systems checked: ${checked}; allowed: ${reached.length}`);
    expect(reached).toEqual([]);
    expect(ACCOUNT).toMatch(/^\d{12}$/);
    expect(REGION).toBe('eu-west-1');
  });
});
