// The IAM check of an integration run (P15, Art. 32): every AWS call a bundle made (functions/aws/call-recorder.ts)
// is turned into the IAM request AWS would authorise (action, resource ARN as deployed, condition keys), and
// evaluated offline with @cloud-copilot/iam-simulate against the function's role policies in the synthesized
// template, with ARNs resolved for a fixed account in eu-west-1. The grants no call used are answered too.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { RecordedCall } from '../../functions/aws/call-recorder.ts';
import { IntrinsicResolver } from '../../local/asl.ts';
import type { SynthesizedStack } from '../../local/bundles.ts';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

type Resources = SynthesizedStack['template']['Resources'];
const suffix = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 12).toUpperCase();

/** Resolves intrinsics to the names and ARNs the resources would have once deployed (CloudFormation's naming). */
export class DeployedResolver extends IntrinsicResolver {
  constructor(private readonly stack: SynthesizedStack) {
    super(stack.template, { region: REGION, accountId: ACCOUNT, stackName: stack.stackName });
  }

  private prop(id: string, name: string): string | undefined {
    const value = this.stack.template.Resources[id]?.Properties?.[name];
    return value === undefined ? undefined : String(this.resolve(value));
  }

  /** The physical name CloudFormation gives a resource: its own name property, or stack-logicalId-SUFFIX. */
  physicalName(id: string): string {
    const type = this.stack.template.Resources[id]?.Type;
    const generated = `${this.stack.stackName}-${id}-${suffix(id)}`;
    switch (type) {
      case 'AWS::DynamoDB::Table':
        return this.prop(id, 'TableName') ?? generated;
      case 'AWS::S3::Bucket':
        return (this.prop(id, 'BucketName') ?? generated).toLowerCase().slice(0, 63);
      case 'AWS::SecretsManager::Secret':
        return this.prop(id, 'Name') ?? `${id}-${suffix(id)}`;
      case 'AWS::StepFunctions::StateMachine':
        return this.prop(id, 'StateMachineName') ?? generated;
      case 'AWS::SES::ConfigurationSet':
        return this.prop(id, 'Name') ?? generated;
      case 'AWS::SES::EmailIdentity':
        return this.prop(id, 'EmailIdentity') ?? id;
      case 'AWS::Logs::LogGroup':
        return this.prop(id, 'LogGroupName') ?? generated;
      case 'AWS::Lambda::Function':
        return this.prop(id, 'FunctionName') ?? generated.slice(0, 64);
      case 'AWS::IAM::Role':
        return this.prop(id, 'RoleName') ?? generated.slice(0, 64);
      default:
        return id;
    }
  }

  protected override ref(name: string): unknown {
    const type = this.stack.template.Resources[name]?.Type;
    if (type === 'AWS::SecretsManager::Secret' || type === 'AWS::StepFunctions::StateMachine')
      return this.getAtt(name, 'Arn');
    if (type === 'AWS::KMS::Key') return `key-${suffix(name).toLowerCase()}`;
    if (type) return this.physicalName(name);
    return super.ref(name);
  }

  protected override getAtt(id: string, attr: string): unknown {
    const type = this.stack.template.Resources[id]?.Type;
    if (attr !== 'Arn' || !type) return super.getAtt(id, attr);
    const name = this.physicalName(id);
    const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
    switch (type) {
      case 'AWS::DynamoDB::Table':
        return arn('dynamodb', `table/${name}`);
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`;
      case 'AWS::SecretsManager::Secret':
        return arn('secretsmanager', `secret:${name}-AbCdEf`);
      case 'AWS::StepFunctions::StateMachine':
        return arn('states', `stateMachine:${name}`);
      case 'AWS::KMS::Key':
        return arn('kms', `key/${this.ref(id)}`);
      case 'AWS::Logs::LogGroup':
        return arn('logs', `log-group:${name}:*`);
      case 'AWS::Lambda::Function':
        return arn('lambda', `function:${name}`);
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${ACCOUNT}:role/${name}`;
      default:
        return super.getAtt(id, attr);
    }
  }
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

/** A function's role as deployed: its ARN and every identity policy attached to it (inline or managed). */
export function rolePolicies(stack: SynthesizedStack, resolver: DeployedResolver, fn: string) {
  const resources: Resources = stack.template.Resources;
  const roleRef = resources[fn]?.Properties?.Role as { 'Fn::GetAtt': [string, string] };
  const roleId = roleRef['Fn::GetAtt'][0];
  const role = resources[roleId];
  if ((role?.Properties?.ManagedPolicyArns as unknown[] | undefined)?.length)
    throw new Error(`${roleId} has managed policies from outside the template, which cannot be read offline`);
  const documents: { name: string; policy: PolicyDocument }[] = [];
  for (const inline of (role?.Properties?.Policies ?? []) as {
    PolicyName: string;
    PolicyDocument: unknown;
  }[])
    documents.push({
      name: inline.PolicyName,
      policy: resolver.resolve(inline.PolicyDocument) as PolicyDocument,
    });
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const roles = (r.Properties?.Roles ?? []) as { Ref?: string }[];
    if (roles.some((x) => x.Ref === roleId))
      documents.push({ name: id, policy: resolver.resolve(r.Properties?.PolicyDocument) as PolicyDocument });
  }
  return { roleArn: String(resolver.resolve({ 'Fn::GetAtt': [roleId, 'Arn'] })), documents };
}

/** The IAM request one call is authorised as (a call can be several: a transaction, a batch, an e-mail). */
export interface IamRequest {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

const DOC_OPERATIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  ConditionCheck: 'ConditionCheckItem',
};
const S3_ACTIONS: Record<string, string> = {
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  ListObjectsV2: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  DeleteObject: 's3:DeleteObject',
  ListParts: 's3:ListMultipartUploadParts',
};

/** Turns recorded calls into IAM requests, with local names mapped to deployed ones by `deployed`. */
export function iamRequests(call: RecordedCall, deployed: (local: string) => string): IamRequest[] {
  const r = call.resources as Record<string, unknown> & {
    item?: { attributes: string[]; keys: Record<string, string> };
  };
  const table = (name: unknown) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${deployed(String(name))}`;
  const dynamoContext = (item?: { attributes: string[]; keys: Record<string, string> }) => {
    const context: Record<string, string | string[]> = {};
    if (item?.attributes.length) context['dynamodb:Attributes'] = item.attributes;
    const leading = Object.values(item?.keys ?? {})[0];
    if (leading) context['dynamodb:LeadingKeys'] = [leading];
    if (r.Select) context['dynamodb:Select'] = String(r.Select);
    if (r.ReturnValues) context['dynamodb:ReturnValues'] = String(r.ReturnValues);
    return context;
  };
  switch (call.service) {
    case 'DynamoDB':
    case 'DynamoDBDocument': {
      const op = DOC_OPERATIONS[call.operation] ?? call.operation;
      if (op === 'TransactWriteItems' || op === 'TransactGetItems')
        return (
          (r.items ?? []) as {
            kind: string;
            TableName: string;
            attributes: string[];
            keys: Record<string, string>;
          }[]
        ).map((i) => ({
          action: `dynamodb:${op === 'TransactGetItems' ? 'GetItem' : (DOC_OPERATIONS[i.kind] ?? i.kind)}`,
          resource: table(i.TableName),
          context: dynamoContext(i),
        }));
      if (op === 'BatchWriteItem' || op === 'BatchGetItem')
        return Object.keys((r.tables ?? {}) as object).map((t) => ({
          action: `dynamodb:${op}`,
          resource: table(t),
          context: {},
        }));
      const index = r.IndexName ? `/index/${r.IndexName}` : '';
      return [
        {
          action: `dynamodb:${op}`,
          resource: `${table(r.TableName)}${index}`,
          context: dynamoContext(r.item),
        },
      ];
    }
    case 'S3': {
      const bucket = `arn:aws:s3:::${deployed(String(r.Bucket))}`;
      const action = S3_ACTIONS[call.operation] ?? `s3:${call.operation}`;
      const resource = action === 's3:ListBucket' ? bucket : `${bucket}/${String(r.Key ?? '*')}`;
      const out: IamRequest[] = [{ action, resource, context: {} }];
      if (r.ObjectLockMode) out.push({ action: 's3:PutObjectRetention', resource, context: {} });
      if (r.Tagging) out.push({ action: 's3:PutObjectTagging', resource, context: {} });
      return out;
    }
    case 'SESv2': {
      const from = /([^<\s@]+@([^>\s]+))>?\s*$/.exec(String(r.FromEmailAddress ?? ''));
      const ses = (resource: string) => `arn:aws:ses:${REGION}:${ACCOUNT}:${resource}`;
      const out: IamRequest[] = [
        { action: `ses:${call.operation}`, resource: ses(`identity/${from?.[2]}`), context: {} },
      ];
      if (r.ConfigurationSetName)
        out.push({
          action: `ses:${call.operation}`,
          resource: ses(`configuration-set/${deployed(String(r.ConfigurationSetName))}`),
          context: {},
        });
      return out;
    }
    case 'SFN': {
      if (r.stateMachineArn)
        return [
          { action: `states:${call.operation}`, resource: deployed(String(r.stateMachineArn)), context: {} },
        ];
      if (r.executionArn) {
        const [, , , , , , machine, execution] = String(r.executionArn).split(':');
        const arn = deployed(`arn:aws:states:${REGION}:000000000000:stateMachine:${machine}`);
        return [
          {
            action: `states:${call.operation}`,
            resource: `${arn.replace(':stateMachine:', ':execution:')}:${execution}`,
            context: {},
          },
        ];
      }
      return [{ action: `states:${call.operation}`, resource: '*', context: {} }];
    }
    case 'SecretsManager': {
      // A secret asked for by name (a configured system's, P17) is the secret's ARN to IAM, random suffix and all.
      const id = String(r.SecretId);
      const resource = id.startsWith('arn:')
        ? deployed(id)
        : `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}-AbCdEf`;
      return [{ action: `secretsmanager:${call.operation}`, resource, context: {} }];
    }
    default:
      return [{ action: `${call.service.toLowerCase()}:${call.operation}`, resource: '*', context: {} }];
  }
}

/** Whether the role's policies (and the resource's own policy, if any) allow the request. */
export async function allowed(
  documents: { name: string; policy: PolicyDocument }[],
  principal: string,
  request: IamRequest,
  resourcePolicy?: PolicyDocument,
): Promise<{ allowed: boolean; detail: string }> {
  const result = await runSimulation(
    {
      identityPolicies: documents,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
      request: {
        action: request.action,
        principal,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: { 'aws:SecureTransport': 'true', ...request.context },
      },
    } as Parameters<typeof runSimulation>[0],
    {},
  );
  if (result.resultType === 'error') return { allowed: false, detail: JSON.stringify(result.errors) };
  return { allowed: result.overallResult === 'Allowed', detail: result.overallResult };
}

/** `*` and `?` as IAM matches them, whole string, case-insensitive for actions. */
export function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '').test(value);
}

/** Reads a call log: the calls, and each function's environment as its container had it. */
export function readCallLog(file: string) {
  const calls: RecordedCall[] = [];
  const environments = new Map<string, Record<string, string>>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const entry = JSON.parse(line) as RecordedCall & { environment?: Record<string, string> };
    if (entry.environment) environments.set(entry.fn, entry.environment);
    else calls.push(entry);
  }
  return { calls, environments };
}
