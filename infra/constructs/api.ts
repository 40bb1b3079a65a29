// The REST API (REST, not HTTP API, so WAF can attach): public routes for subjects, Cognito-guarded staff routes.
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRecovery,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { type ProblemName, problem } from '../../functions/api/problems.ts';
import { API_ROUTES, type Role } from '../../functions/registry.ts';
import { pathParameterNames } from '../../functions/routing.ts';
import { acknowledge } from '../nag.ts';
import type { Settings } from '../settings.ts';

export const STAGE_NAME = 'v1';
/** Staff roles as Cognito groups; the application reads them from the ID token's cognito:groups claim. */
export const STAFF_ROLES: readonly Role[] = ['viewer', 'approver', 'admin'];

export interface ApiProps {
  settings: Settings;
  key: IKey;
}

export class Api extends Construct {
  readonly restApi: RestApi;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** Cognito's hosted sign-in page for staff, in the stack's region. */
  readonly loginDomain: UserPoolDomain;
  readonly authorizer: CognitoUserPoolsAuthorizer;
  readonly webAcl: CfnWebACL;
  private readonly validator: RequestValidator;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { settings, key } = props;

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: 'privacy-rights',
      description: 'Data-subject rights: the privacy centre (public) and the staff console (Cognito)',
      // Regional, not edge-optimized: an edge endpoint would put CloudFront locations outside the EU (P14).
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // The pages' images and fonts (infra/constructs/site.ts) pass through as bytes; every other body is text.
      binaryMediaTypes: ['image/*', 'font/*'],
      // Access and execution logs need the account-level API Gateway logging role.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: STAGE_NAME,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        // No source IP, user agent or path: requests are counted and traced, people are not logged (P15).
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTimeEpoch',
            method: '$context.httpMethod',
            resource: '$context.resourcePath',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            responseLength: '$context.responseLength',
            errorType: '$context.error.responseType',
            waf: '$context.waf.status',
            staff: '$context.authorizer.claims.sub',
            xrayTraceId: '$context.xrayTraceId',
          }),
        ),
        loggingLevel: MethodLoggingLevel.ERROR,
        // Data tracing would write request and response bodies (addresses, codes) to the logs.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
      },
    });
    // The stack outputs ApiUrl (no trailing slash, like PUBLIC_BASE_URL); one URL output is enough.
    this.restApi.node.tryRemoveChild('Endpoint');
    acknowledge(
      this.restApi,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'The account-level API Gateway logging role is the service-defined one; API Gateway, not our code, assumes it.',
    );

    // API Gateway creates its execution log group on first use, with no retention; own it to set one.
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${STAGE_NAME}`,
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.restApi.deploymentStage.node.addDependency(executionLogs);

    this.validator = this.restApi.addRequestValidator('Validator', {
      requestValidatorName: 'parameters',
      // No body models are attached: bodies are checked by the handlers' zod schemas, the one source of the
      // contract, so both environments answer malformed bodies alike. On so that any model added is enforced.
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.problemResponses();

    this.userPool = new UserPool(this, 'StaffPool', {
      userPoolName: 'privacy-rights-staff',
      // Staff accounts are created by an admin, never by sign-up (P15: only a limited number of staff).
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 12,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus tier: compromised-credential checks and adaptive authentication, enforced.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    STAFF_ROLES.forEach((role, i) => {
      this.userPool.addGroup(`${role}Group`, {
        groupName: role,
        description: `Staff role ${role}`,
        precedence: (STAFF_ROLES.length - i) * 10,
      });
    });
    this.loginDomain = this.userPool.addDomain('StaffLogin', {
      cognitoDomain: { domainPrefix: settings.loginDomainPrefix },
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
    // The console is a public client (a browser keeps no secret): authorization code with PKCE on the hosted
    // page, nothing else. No implicit grant (tokens in the URL) and no direct password or SRP sign-in.
    this.userPoolClient = this.userPool.addClient('StaffConsoleClient', {
      userPoolClientName: 'staff-console',
      authFlows: {
        user: false,
        userSrp: false,
        userPassword: false,
        adminUserPassword: false,
        custom: false,
      },
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.consoleUrl],
        logoutUrls: [this.consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // A working day: a stolen refresh token is worth hours, not weeks; staff sign in again (with MFA) daily.
      refreshTokenValidity: Duration.hours(8),
    });
    // ID tokens carry cognito:groups, from which the handlers read the role.
    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'StaffAuthorizer', {
      cognitoUserPools: [this.userPool],
      identitySource: IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.minutes(5),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      // Sampled requests would keep whole requests (addresses, tokens) for hours; metrics are enough.
      visibilityConfig: visibility('PrivacyRightsApi'),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: settings.wafRateLimit,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 1),
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 2),
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.restApi.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }

  /**
   * The public base URL, built from the API id and the stage name rather than from the stage resource: handlers
   * need it, the stage depends on the handlers' integrations, and that reference would be a cycle.
   */
  get url(): string {
    return `https://${this.restApi.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${STAGE_NAME}`;
  }

  /** The staff console, where the hosted sign-in page returns to (callback and logout URL). */
  get consoleUrl(): string {
    return `${this.url}/console/`;
  }

  /** One Lambda proxy integration per API_ROUTES entry; staff routes require a Cognito ID token. */
  addRoutes(functions: ReadonlyMap<string, IFunction>): void {
    for (const route of API_ROUTES) {
      const fn = functions.get(route.id);
      if (!fn) throw new Error(`No function for route ${route.id}`);
      const staff = route.access !== 'public';
      const pathParameters = pathParameterNames(route.path);
      const method = this.restApi.root
        .resourceForPath(route.path)
        .addMethod(route.method, new LambdaIntegration(fn, { allowTestInvoke: false }), {
          operationName: route.id,
          authorizationType: staff ? AuthorizationType.COGNITO : AuthorizationType.NONE,
          ...(staff ? { authorizer: this.authorizer } : {}),
          requestValidator: this.validator,
          requestParameters: Object.fromEntries(
            pathParameters.map((p) => [`method.request.path.${p}`, true]),
          ),
        });
      if (!staff) {
        const reason =
          'A subject-facing route of the privacy centre: subjects have no account. Requests are protected by ' +
          'one-time codes and signed status tokens checked in the handler, per-address and per-source limits, ' +
          'stage throttling and the WAF rate rule.';
        acknowledge(method, 'AwsSolutions-APIG4', reason);
        acknowledge(method, 'AwsSolutions-COG4', reason);
      }
    }
  }

  /** API Gateway's own errors answer in RFC 9457 problem+json, like the handlers do. */
  private problemResponses(): void {
    // Problems from the one registry (functions/api/problems.ts); the catch-alls keep the status they replace.
    const responses: [string, ResponseType, ProblemName][] = [
      ['Unauthorized', ResponseType.UNAUTHORIZED, 'gateway-unauthorized'],
      ['AccessDenied', ResponseType.ACCESS_DENIED, 'gateway-forbidden'],
      ['WafFiltered', ResponseType.WAF_FILTERED, 'waf-blocked'],
      ['Throttled', ResponseType.THROTTLED, 'rate-limited'],
      ['BadParameters', ResponseType.BAD_REQUEST_PARAMETERS, 'bad-request'],
      ['NoRoute', ResponseType.MISSING_AUTHENTICATION_TOKEN, 'no-route'],
      ['TooLarge', ResponseType.REQUEST_TOO_LARGE, 'too-large'],
      ['Default4xx', ResponseType.DEFAULT_4XX, 'client-error'],
      ['Default5xx', ResponseType.DEFAULT_5XX, 'gateway-internal'],
    ];
    for (const [id, type, name] of responses) {
      const body = problem(name);
      const statusCode = body.status === undefined ? '' : String(body.status);
      this.restApi.addGatewayResponse(id, {
        type,
        ...(statusCode ? { statusCode } : {}),
        responseHeaders: { 'Content-Type': "'application/problem+json'" },
        templates: { 'application/json': JSON.stringify(body) },
      });
    }
  }
}

function visibility(metricName: string): CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: false };
}

function managedRuleGroup(name: string, priority: number): CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: visibility(name),
  };
}
