// The privacy centre (/), the staff console (/console/) and the API reference (/docs/) on AWS: their files sit in a private bucket in the stack's
// region and API Gateway reads them itself (AWS service integrations), on the same regional API, stage and WAF as the
// routes they call. No CloudFront: its edge locations are outside the EU (P14).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  AuthorizationType,
  AwsIntegration,
  type IntegrationResponse,
  type MethodResponse,
  PassthroughBehavior,
  type RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { type ProblemName, problem } from '../../functions/api/problems.ts';
import { PAGE_CSP } from '../../local/api-server.ts';
import { acknowledge, arnRef } from '../nag.ts';
import { secureBucket } from './data.ts';

/** What the console reads from /console/config.json to sign staff in (CONSOLE-SPEC: console runtime config). */
export interface ConsoleConfig {
  auth: 'cognito';
  domain: string;
  clientId: string;
  redirectUri: string;
  logoutUri: string;
}

export interface SiteProps {
  restApi: RestApi;
  /** console/dist as `npm run build:console` writes it: index.html, console/index.html (or console.html), assets/. */
  dist: string;
  config: ConsoleConfig;
  accessLogs: IBucket;
  /** Encrypts the deployment handler's log group, like every other log group of the stack. */
  key: IKey;
}

/** The page routes: URL path on the API → object key ({proxy} is the rest of the path). */
export function siteRoutes(consolePageKey: string): { path: string; key: string }[] {
  return [
    { path: '/', key: 'index.html' },
    // API Gateway routes /console/ to /console too.
    { path: '/console', key: consolePageKey },
    { path: '/console/{proxy+}', key: 'console/{proxy}' },
    // The API reference (console/docs.html); its Swagger UI files are under assets/swagger-ui/.
    { path: '/docs', key: 'docs/index.html' },
    { path: '/assets/{proxy+}', key: 'assets/{proxy}' },
  ];
}

/** The headers local/api-server.ts sends with a page, plus HSTS: on AWS the pages are only ever served over HTTPS. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PAGE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

/** A static header value as API Gateway reads it: in single quotes, inner ones escaped (the CSP has 'self'). */
export const staticValue = (value: string) => `'${value.replaceAll("'", "\\'")}'`;

export class Site extends Construct {
  readonly bucket: Bucket;
  readonly readRole: Role;
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    const { restApi, dist, config, accessLogs, key } = props;

    // Only public files: SSE-S3 keeps API Gateway's role to s3:GetObject (no KMS grant); no versions, as every
    // deploy uploads them afresh from the repository.
    this.bucket = new Bucket(this, 'Bucket', {
      ...secureBucket,
      versioned: false,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'site/',
      lifecycleRules: [{ id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });

    const built = existsSync(join(dist, 'index.html'));
    // Tests and the local runtime synthesize without bundling and need no pages; a real synth must upload them.
    if (!built && Stack.of(this).bundlingRequired)
      throw new Error(
        `${dist} has no index.html: run \`npm run build:console\` first (\`npm run synth\` does)`,
      );
    this.deployment = new BucketDeployment(this, 'Files', {
      destinationBucket: this.bucket,
      // config.json comes last, so it wins over any file of that name in dist.
      sources: [...(built ? [Source.asset(dist)] : []), Source.jsonData('console/config.json', config)],
      // Files no longer built are removed; the old deployment's files stay if the stack is deleted.
      prune: true,
      memoryLimit: 512,
      logGroup: new LogGroup(this, 'FilesLogs', {
        retention: RetentionDays.ONE_YEAR,
        encryptionKey: key,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    });
    this.acknowledgeDeployment();

    this.readRole = new Role(this, 'ReadRole', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway reads the privacy centre and staff console files, and nothing else',
    });
    this.readRole.addToPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')] }),
    );
    acknowledge(
      this.readRole,
      `AwsSolutions-IAM5[Resource::${arnRef(this.bucket)}/*]`,
      'Any page or asset of the site bucket may be asked for; the bucket holds only the public site files.',
    );

    const consolePage = existsSync(join(dist, 'console.html')) ? 'console.html' : 'console/index.html';
    for (const route of siteRoutes(consolePage)) this.addPage(restApi, route.path, route.key);
  }

  private addPage(restApi: RestApi, path: string, key: string): void {
    const proxy = path.endsWith('{proxy+}');
    const headers = Object.fromEntries(
      Object.entries(PAGE_HEADERS).map(([name, value]) => [
        `method.response.header.${name}`,
        staticValue(value),
      ]),
    );
    const problemResponse = (statusCode: string, selectionPattern: string, name: ProblemName) => ({
      statusCode,
      selectionPattern,
      responseParameters: {
        ...headers,
        'method.response.header.Content-Type': "'application/problem+json'",
        'method.response.header.Cache-Control': "'no-store'",
      },
      responseTemplates: { 'application/json': JSON.stringify(problem(name)) },
    });
    const integrationResponses: IntegrationResponse[] = [
      {
        statusCode: '200',
        responseParameters: {
          ...headers,
          'method.response.header.Content-Type': 'integration.response.header.Content-Type',
        },
      },
      // With s3:GetObject alone (no s3:ListBucket) S3 answers a missing key with 403: both mean "no such page".
      problemResponse('404', '403|404', 'no-route'),
      problemResponse('500', '5\\d{2}', 'gateway-internal'),
    ];
    const methodResponses: MethodResponse[] = ['200', '404', '500'].map((statusCode) => ({
      statusCode,
      responseParameters: Object.fromEntries(
        [...Object.keys(headers), 'method.response.header.Content-Type'].map((h) => [h, true]),
      ),
    }));
    const integration = new AwsIntegration({
      service: 's3',
      integrationHttpMethod: 'GET',
      path: `${this.bucket.bucketName}/${key}`,
      options: {
        credentialsRole: this.readRole,
        passthroughBehavior: PassthroughBehavior.WHEN_NO_MATCH,
        ...(proxy
          ? { requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } }
          : {}),
        integrationResponses,
      },
    });
    const method = restApi.root.resourceForPath(path).addMethod('GET', integration, {
      operationName: `Page${path.replace(/[^a-z]/gi, '_')}`,
      authorizationType: AuthorizationType.NONE,
      ...(proxy ? { requestParameters: { 'method.request.path.proxy': true } } : {}),
      methodResponses,
    });
    const reason =
      'A page or asset of the privacy centre or the staff console: the same public files for everyone, no data. ' +
      'Staff data come only from the Cognito-guarded /admin routes.';
    acknowledge(method, 'AwsSolutions-APIG4', reason);
    acknowledge(method, 'AwsSolutions-COG4', reason);
  }

  /** The deployment's handler is CDK's own singleton Lambda (at stack level), which runs only while deploying. */
  private acknowledgeDeployment(): void {
    const handler = this.deployment.handlerRole.node.scope;
    if (!handler) return;
    const stack = Stack.of(this);
    acknowledge(
      handler,
      'AwsSolutions-L1',
      "The runtime of CDK's BucketDeployment handler is chosen by aws-cdk-lib and moves with it on upgrade.",
    );
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "CDK's deployment handler only writes its own logs with the service-defined policy; it handles no personal data.",
    );
    // The deploy's file assets sit in the bootstrap staging bucket, named after qualifier, account and region.
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const staging = `arn:${stack.partition}:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${account}-${stack.region}/*`;
    const findings = [
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map(
        (a) => `Action::${a}`,
      ),
      `Resource::${staging}`,
      `Resource::${arnRef(this.bucket)}/*`,
    ];
    for (const finding of findings)
      acknowledge(
        handler,
        `AwsSolutions-IAM5[${finding}]`,
        "BucketDeployment's own grants: it reads this deploy's zip from the CDK staging bucket and syncs (and " +
          'prunes) the site bucket, which holds only the public pages.',
      );
  }
}
