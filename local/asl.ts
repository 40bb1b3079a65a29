// The state machine the local runtime runs is the very one CDK synthesizes: synthesize the app in-process,
// take the AWS::StepFunctions::StateMachine from the template, resolve its intrinsic functions to placeholder
// ARNs, and map every Lambda's logical id to its handler file through the `app:entry` tag.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { functionArn, type LambdaFunction } from './lambda.ts';

export const ENTRY_TAG = 'app:entry';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'eu-west-1';
const APP_FILE = 'infra/build-app.ts';

/** Context for in-process synthesis: no esbuild bundling, and path metadata as `cdk synth` adds it. */
export const SYNTH_CONTEXT = { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true };

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type AslDefinition = { StartAt: string; States: Record<string, Record<string, unknown>> } & Record<
  string,
  unknown
>;

export interface ResolvedStateMachine {
  /** logical id in the template, or `file` */
  logicalId: string;
  name: string;
  definition: AslDefinition;
  functions: LambdaFunction[];
  /** each function's environment variables as the template sets them, resolved to local placeholders */
  environments: Record<string, Record<string, string>>;
}

export interface ResolveOptions {
  region?: string;
  accountId?: string;
  stackName?: string;
  /** which state machine, when the template has several */
  logicalId?: string;
  /** or: the one with this StateMachineName */
  name?: string;
}

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}
export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Parameters?: Record<string, { Default?: unknown }>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
}

/** Thrown for a template the local runtime cannot turn into a runnable state machine. */
export class AslResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AslResolutionError';
  }
}

/** Synthesizes the CDK app (infra/build-app.ts) in-process and resolves its state machine. */
export async function synthesizeStateMachine(
  root: string,
  options: ResolveOptions = {},
): Promise<ResolvedStateMachine> {
  // A computed specifier keeps tsc from requiring the app to exist while this file is checked.
  const url = pathToFileURL(join(root, APP_FILE)).href;
  const mod = (await import(url)) as {
    buildApp(props: { context: Record<string, unknown>; outdir?: string }): {
      app: { synth(): { getStackArtifact(id: string): { template: unknown } } };
      stack: { artifactId: string; stackName: string };
    };
  };
  // Our own scratch directory, removed after: the app would otherwise leave a temporary cdk.out per start.
  const outdir = mkdtempSync(join(tmpdir(), 'jsm-local-synth-'));
  try {
    const { app, stack } = mod.buildApp({ context: { ...SYNTH_CONTEXT }, outdir });
    const template = app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
    // The request workflow; the retention sweep's machine has a Distributed Map, which the interpreter lacks.
    return resolveStateMachine(template, {
      stackName: stack.stackName,
      name: `${stack.stackName}-Request`,
      ...options,
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Resolves the template's state machine to a concrete ASL definition and its Lambda handlers. */
export function resolveStateMachine(
  template: CfnTemplate,
  options: ResolveOptions = {},
): ResolvedStateMachine {
  const region = options.region ?? LOCAL_REGION;
  const accountId = options.accountId ?? LOCAL_ACCOUNT;
  const resources = template.Resources ?? {};
  const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  const chosen = options.logicalId
    ? machines.filter(([id]) => id === options.logicalId)
    : options.name
      ? machines.filter(([, m]) => m.Properties?.StateMachineName === options.name)
      : machines;
  if (chosen.length !== 1) {
    const found = machines.map(([id]) => id).join(', ') || 'none';
    throw new AslResolutionError(`Expected one AWS::StepFunctions::StateMachine, found: ${found}`);
  }
  const [logicalId, machine] = chosen[0] as [string, CfnResource];
  const resolver = new IntrinsicResolver(template, {
    region,
    accountId,
    stackName: options.stackName ?? 'Local',
  });
  const props = machine.Properties ?? {};

  const substitutions: Record<string, string> = {};
  for (const [key, value] of Object.entries(
    (props.DefinitionSubstitutions ?? {}) as Record<string, unknown>,
  )) {
    substitutions[key] = String(resolver.resolve(value));
  }
  let definition: unknown;
  if (props.DefinitionString !== undefined) {
    const text = resolver.resolve(props.DefinitionString);
    if (typeof text !== 'string')
      throw new AslResolutionError('DefinitionString did not resolve to a string');
    definition = JSON.parse(substitute(text, substitutions));
  } else if (props.Definition !== undefined) {
    definition = substituteDeep(resolver.resolve(props.Definition), substitutions);
  } else {
    throw new AslResolutionError(
      `${logicalId} has no inline definition (DefinitionS3Location is not supported locally)`,
    );
  }
  const name = props.StateMachineName ? String(resolver.resolve(props.StateMachineName)) : logicalId;
  return {
    logicalId,
    name,
    definition: definition as AslDefinition,
    functions: lambdaFunctions(template),
    environments: functionEnvironments(template, resolver),
  };
}

/** The Environment.Variables of every Lambda, resolved: what a handler run from the sources must be given. */
function functionEnvironments(template: CfnTemplate, resolver: IntrinsicResolver) {
  const out: Record<string, Record<string, string>> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const vars = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    out[logicalId] = Object.fromEntries(
      Object.entries(vars ?? {}).map(([name, value]) => [name, String(resolver.resolve(value))]),
    );
  }
  return out;
}

/** Every Lambda of the template that names its handler file with the `app:entry` tag. */
export function lambdaFunctions(template: CfnTemplate): LambdaFunction[] {
  const functions: LambdaFunction[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const props = resource.Properties ?? {};
    const tags = (props.Tags ?? []) as { Key: string; Value: unknown }[];
    const entry = tags.find((t) => t.Key === ENTRY_TAG)?.Value;
    if (typeof entry !== 'string') continue; // CDK's own helper functions (custom resources) have none
    functions.push({
      name: logicalId,
      entry,
      timeoutSeconds: typeof props.Timeout === 'number' ? props.Timeout : 3,
      memoryMb: typeof props.MemorySize === 'number' ? props.MemorySize : 128,
    });
  }
  return functions;
}

// CloudFormation's DefinitionSubstitutions: ${key} in the definition string becomes the value.
function substitute(text: string, substitutions: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => substitutions[key] ?? whole);
}

function substituteDeep(value: unknown, substitutions: Record<string, string>): unknown {
  if (typeof value === 'string') return substitute(value, substitutions);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, substitutions));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, substitutions)]));
  }
  return value;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Resolves CloudFormation intrinsic functions to local placeholders; exported for tests. */
export class IntrinsicResolver {
  constructor(
    private readonly template: CfnTemplate,
    private readonly env: { region: string; accountId: string; stackName: string },
  ) {}

  resolve(value: unknown): unknown {
    const resolved = this.walk(value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  private walk(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.walk(v)).filter((v) => v !== NO_VALUE);
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0] as [string, unknown];
      if (fn === 'Ref') return this.ref(String(arg));
      if (fn === 'Condition') return this.condition(String(arg));
      if (fn.startsWith('Fn::')) return this.fn(fn, arg);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const r = this.walk(v);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private fn(name: string, arg: unknown): unknown {
    switch (name) {
      case 'Fn::Join': {
        const [sep, list] = arg as [string, unknown[]];
        return (this.walk(list) as unknown[]).map(String).join(sep);
      }
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(/\.(.*)/s);
        return this.getAtt(String(id), String(this.walk(attr)));
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg)
          ? (arg as [string, Record<string, unknown>])
          : [String(arg), {}];
        const locals = this.walk(vars) as Record<string, unknown>;
        return text.replace(/\$\{(!?)([^}]+)\}/g, (_, bang: string, ref: string) => {
          if (bang) return `\${${ref}}`;
          if (ref in locals) return String(locals[ref]);
          const dot = ref.indexOf('.');
          if (dot > 0 && !ref.startsWith('AWS::'))
            return String(this.getAtt(ref.slice(0, dot), ref.slice(dot + 1)));
          return String(this.ref(ref));
        });
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (this.walk(list) as unknown[])[Number(this.walk(index))];
      }
      case 'Fn::Split': {
        const [sep, text] = arg as [string, unknown];
        return String(this.walk(text)).split(sep);
      }
      case 'Fn::Base64':
        return Buffer.from(String(this.walk(arg))).toString('base64');
      case 'Fn::FindInMap': {
        const [map, top, second] = (this.walk(arg) as unknown[]).map(String) as [string, string, string];
        const found = this.template.Mappings?.[map]?.[top]?.[second];
        if (found === undefined) throw new AslResolutionError(`Fn::FindInMap: no ${map}.${top}.${second}`);
        return found;
      }
      case 'Fn::If': {
        const [cond, yes, no] = arg as [string, unknown, unknown];
        return this.condition(cond) ? this.walk(yes) : this.walk(no);
      }
      case 'Fn::Equals': {
        const [a, b] = this.walk(arg) as [unknown, unknown];
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not':
        return !(this.walk(arg) as unknown[])[0];
      case 'Fn::And':
        return (this.walk(arg) as unknown[]).every(Boolean);
      case 'Fn::Or':
        return (this.walk(arg) as unknown[]).some(Boolean);
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => `${this.env.region}${z}`);
      default:
        throw new AslResolutionError(`${name} cannot be resolved locally`);
    }
  }

  private condition(name: string): boolean {
    const expr = this.template.Conditions?.[name];
    if (expr === undefined) throw new AslResolutionError(`Unknown condition ${name}`);
    return Boolean(this.walk(expr));
  }

  protected ref(name: string): unknown {
    switch (name) {
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::Region':
        return this.env.region;
      case 'AWS::AccountId':
        return this.env.accountId;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.env.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.env.region}:${this.env.accountId}:stack/${this.env.stackName}/local`;
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new AslResolutionError(`Parameter ${name} has no default`);
      return parameter.Default;
    }
    const resource = this.template.Resources?.[name];
    if (!resource) throw new AslResolutionError(`Ref to unknown ${name}`);
    // Ref gives a function's name, a state machine's ARN, a bucket's or table's name: placeholders by logical id.
    switch (resource.Type) {
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
        return this.getAtt(name, 'Arn');
      case 'AWS::S3::Bucket':
        return name.toLowerCase();
      default:
        return name;
    }
  }

  protected getAtt(id: string, attr: string): unknown {
    const resource = this.template.Resources?.[id];
    if (!resource) throw new AslResolutionError(`Fn::GetAtt on unknown ${id}`);
    const { region, accountId } = this.env;
    if (attr !== 'Arn') return `${id}.${attr}`;
    switch (resource.Type) {
      case 'AWS::Lambda::Function':
        return functionArn(id, region, accountId);
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${id}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${id.toLowerCase()}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${accountId}:role/${id}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${region}:${accountId}:stateMachine:${id}`;
      default: {
        const service = resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown';
        return `arn:aws:${service}:${region}:${accountId}:${id}`;
      }
    }
  }
}
