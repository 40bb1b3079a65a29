// How the privacy centre and the staff console are served on AWS (P14: no CloudFront, the stack's own region) and
// how staff sign in (Cognito's hosted login, authorization code with PKCE, groups viewer/approver/admin).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build.ts';
import { API_ROUTES } from '../../functions/registry.ts';
import { PAGE_HEADERS, Site, siteRoutes, staticValue } from '../../infra/constructs/site.ts';
import { PAGE_CSP } from '../../local/api-server.ts';
import { cdkPath, type Json, props, resourcesOfType, type Synthesized, synth, synthOnce } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthOnce();
});

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  s.stack.getLogicalId(construct.node.defaultChild as never);
const siteBucketId = () => logicalId(s.stack.site.bucket);

/** The S3 integrations of the pages, with the key each reads (the URI after the bucket). */
const pageMethods = () =>
  resourcesOfType(s.json, 'AWS::ApiGateway::Method')
    .map(([, m]) => props(m))
    .filter((p) => p.Integration?.Type === 'AWS')
    .map((p) => {
      const parts = p.Integration.Uri['Fn::Join'][1] as Json[];
      return { p, prefix: parts[0] as string, bucket: parts[1], key: parts[2] as string };
    });

/** The console's config.json as the deployment uploads it (tokens still as markers). */
function uploadedConfig(json: Json, outdir: string): Json {
  const [, deployment] = resourcesOfType(json, 'Custom::CDKBucketDeployment')[0] ?? [];
  const keys = props(deployment).SourceObjectKeys as string[];
  const dirs = keys.map((k) => path.join(outdir, `asset.${k.replace(/\.zip$/, '')}`));
  const file = dirs.map((d) => path.join(d, 'console/config.json')).find((f) => existsSync(f));
  return file ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

describe('Stack: pages from S3 through the regional API (P14)', () => {
  it('keeps the files in a private, TLS-only, encrypted bucket that logs its access', () => {
    // Act: read the site bucket and its policy
    const bucket = props(s.json.Resources[siteBucketId()]);
    const [, policy] =
      resourcesOfType(s.json, 'AWS::S3::BucketPolicy').find(
        ([, p]) => props(p).Bucket?.Ref === siteBucketId(),
      ) ?? [];
    const statements = props(policy).PolicyDocument.Statement as Json[];
    // Assess: all public access blocked, encrypted at rest, access logged to the access-log bucket
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({
      Ref: logicalId(s.stack.data.accessLogs),
    });
    // Assess: the policy refuses every request without TLS
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('reads /, /console, /console/*, /docs and /assets/* from the bucket, in the stack region, without authorizer', () => {
    // Act: list the page methods
    const pages = pageMethods();
    // Assess: five, each an S3 GET of its key in the site bucket, public
    expect(pages.map((m) => m.key).sort()).toEqual(
      [
        '/assets/{proxy}',
        '/console/index.html',
        '/console/{proxy}',
        '/docs/index.html',
        '/index.html',
      ].sort(),
    );
    for (const m of pages) {
      expect(m.prefix, m.key).toBe(`arn:aws:apigateway:${s.stack.region}:s3:path/`);
      expect(m.bucket, m.key).toEqual({ Ref: siteBucketId() });
      expect(m.p.HttpMethod, m.key).toBe('GET');
      expect(m.p.Integration.IntegrationHttpMethod, m.key).toBe('GET');
      expect(m.p.AuthorizationType, m.key).toBe('NONE');
    }
    // Assess: the greedy routes hand the rest of the path to the key
    for (const m of pages.filter((x) => x.key.endsWith('{proxy}')))
      expect(m.p.Integration.RequestParameters).toEqual({
        'integration.request.path.proxy': 'method.request.path.proxy',
      });
  });

  it("answers with S3's Content-Type and the pages' CSP and security headers, like the local server", () => {
    // Act: read each page's success response
    for (const m of pageMethods()) {
      const ok = (m.p.Integration.IntegrationResponses as Json[]).find((r) => r.StatusCode === '200');
      const declared = (m.p.MethodResponses as Json[]).find((r) => r.StatusCode === '200');
      // Assess: Content-Type passed through; the CSP is PAGE_CSP, with HSTS, nosniff and no referrer
      expect(ok.ResponseParameters['method.response.header.Content-Type']).toBe(
        'integration.response.header.Content-Type',
      );
      expect(ok.ResponseParameters['method.response.header.Content-Security-Policy']).toBe(
        staticValue(PAGE_CSP),
      );
      expect(PAGE_CSP).toContain("frame-ancestors 'none'");
      for (const [name, value] of Object.entries(PAGE_HEADERS)) {
        expect(ok.ResponseParameters[`method.response.header.${name}`], name).toBe(staticValue(value));
        expect(declared.ResponseParameters[`method.response.header.${name}`], name).toBe(true);
      }
      expect(PAGE_HEADERS['Strict-Transport-Security']).toMatch(/^max-age=\d{7,}/);
    }
  });

  it('quotes static header values as API Gateway reads them, escaping the quotes inside', () => {
    // Act: quote a value with single quotes in it
    const quoted = staticValue("default-src 'self'");
    // Assess: enclosed in single quotes, the inner ones escaped
    expect(quoted).toBe("'default-src \\'self\\''");
  });

  it('answers a missing file with a 404 problem, not the 403 S3 gives without list rights', () => {
    // Act: read each page's error responses
    for (const m of pageMethods()) {
      const responses = m.p.Integration.IntegrationResponses as Json[];
      const missing = responses.find((r) => r.SelectionPattern === '403|404');
      // Assess: both map to 404 with a problem+json body
      expect(missing?.StatusCode, m.key).toBe('404');
      expect(missing.ResponseParameters['method.response.header.Content-Type']).toBe(
        "'application/problem+json'",
      );
      expect(JSON.parse(missing.ResponseTemplates['application/json'])).toMatchObject({ status: 404 });
      expect(responses.find((r) => r.SelectionPattern === '5\\d{2}')?.StatusCode).toBe('500');
    }
  });

  it('lets API Gateway only read objects of the site bucket', () => {
    // Act: find the role the integrations use and every policy attached to it
    const roleIds = new Set(pageMethods().map((m) => m.p.Integration.Credentials['Fn::GetAtt'][0]));
    const [roleId] = [...roleIds];
    const role = props(s.json.Resources[roleId as string]);
    const statements = resourcesOfType(s.json, 'AWS::IAM::Policy')
      .filter(([, p]) => (props(p).Roles as Json[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => props(p).PolicyDocument.Statement as Json[]);
    // Assess: one role, assumed by API Gateway, with no managed policy and one permission: s3:GetObject on objects
    expect(roleIds.size).toBe(1);
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'apigateway.amazonaws.com',
    });
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [siteBucketId(), 'Arn'] }, '/*']] },
      },
    ]);
  });

  it('serves the pages on the stage the WAF guards', () => {
    // Act: find the one REST API, its stage and the WAF association
    const [apiId] = resourcesOfType(s.json, 'AWS::ApiGateway::RestApi')[0] ?? [];
    const [stageId] = resourcesOfType(s.json, 'AWS::ApiGateway::Stage')[0] ?? [];
    const [, association] = resourcesOfType(s.json, 'AWS::WAFv2::WebACLAssociation')[0] ?? [];
    // Assess: every page is a method of that API, whose one stage carries the web ACL
    for (const m of pageMethods()) expect(m.p.RestApiId).toEqual({ Ref: apiId });
    expect(resourcesOfType(s.json, 'AWS::ApiGateway::Stage')).toHaveLength(1);
    expect(JSON.stringify(props(association).ResourceArn)).toContain(stageId);
  });

  it('routes every URL path console/build.ts builds, and no page route shadows an API route', async () => {
    // Act: build the pages in memory and match each path against the page routes
    const built = [...(await buildConsole()).keys()];
    const routes = siteRoutes('console/index.html').map((r) => r.path);
    const routed = (p: string) =>
      p === '/' ||
      routes.some((r) => r.endsWith('{proxy+}') && p.startsWith(r.replace('{proxy+}', ''))) ||
      routes.includes(p.replace(/\/$/, ''));
    // Assess: the centre, the API reference and their assets are among them, and every one is routed
    expect(built).toEqual(
      expect.arrayContaining([
        '/',
        '/assets/centre.js',
        '/docs',
        '/assets/docs.js',
        '/assets/swagger-ui/swagger-ui.css',
      ]),
    );
    for (const p of built) expect(routed(p), p).toBe(true);
    // Assess: the API has no GET route on a page path
    const gets = API_ROUTES.filter((r) => r.method === 'GET').map((r) => r.path);
    for (const r of routes) expect(gets).not.toContain(r);
  });

  it('uploads console/dist and a config.json naming the hosted login, the client and the console URL', () => {
    // Act: read the deployment and the config.json it uploads
    const [, deployment] = resourcesOfType(s.json, 'Custom::CDKBucketDeployment')[0] ?? [];
    const p = props(deployment);
    const config = uploadedConfig(s.json, s.app.outdir);
    const markers = p.SourceMarkers[1] as Record<string, Json>;
    // Each marker stands for a token; spelled out, two values with the same tokens compare equal.
    const spelled = (value: string) =>
      value.replace(/<<marker:0xbaba:\d+>>/g, (m) => JSON.stringify(markers[m]));
    const refOf = (value: string) => Object.entries(markers).find(([m]) => value.includes(m))?.[1];
    // Assess: into the site bucket, pruning files no longer built, from the fixture dist and the config
    expect(p.DestinationBucketName).toEqual({ Ref: siteBucketId() });
    expect(p.Prune).toBe(true);
    expect(p.SourceObjectKeys).toHaveLength(2);
    // Assess: the config follows the contract, its tokens resolve to the domain, the client and the API
    expect(Object.keys(config).sort()).toEqual(['auth', 'clientId', 'domain', 'logoutUri', 'redirectUri']);
    expect(config.auth).toBe('cognito');
    expect(config.domain).toMatch(/^https:\/\/.+\.auth\.eu-west-1\.amazoncognito\.com$/);
    expect(refOf(config.domain)).toEqual({ Ref: logicalId(s.stack.api.loginDomain) });
    expect(refOf(config.clientId)).toEqual({ Ref: logicalId(s.stack.api.userPoolClient) });
    expect(config.redirectUri).toMatch(/^https:\/\/.+\.execute-api\..+\/v1\/console\/$/);
    expect(refOf(config.redirectUri)).toEqual({ Ref: logicalId(s.stack.api.restApi) });
    expect(spelled(config.logoutUri)).toBe(spelled(config.redirectUri));
  });

  it("keeps the deployment handler's logs a year, encrypted with the stack key", () => {
    // Act: follow CDK's deployment handler to its log group
    const [, handler] =
      resourcesOfType(s.json, 'AWS::Lambda::Function').find(([, fn]) =>
        cdkPath(fn).includes('/Custom::CDKBucketDeployment'),
      ) ?? [];
    const logGroup = props(s.json.Resources[props(handler).LoggingConfig.LogGroup.Ref]);
    // Assess: a year's retention and the stack key
    expect(logGroup.RetentionInDays).toBe(365);
    expect(logGroup.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(s.stack.data.key), 'Arn'] });
  });

  it('refuses a real synth when the pages were not built', () => {
    // Prepare: a stack that bundles (as `cdk synth` does) and an empty directory for console/dist
    const app = new App();
    const stack = new Stack(app, 'SiteTest', { env: { region: 'eu-west-1' } });
    const restApi = new RestApi(stack, 'Api');
    const config = { auth: 'cognito', domain: 'd', clientId: 'c', redirectUri: 'r', logoutUri: 'l' } as const;
    const accessLogs = new Bucket(stack, 'Logs');
    const key = new Key(stack, 'Key');
    const dist = path.join(s.app.outdir, 'none');
    // Act: add the site
    const add = () => new Site(stack, 'Site', { restApi, dist, config, accessLogs, key });
    // Assess: it names the command that builds them
    expect(add).toThrow(/npm run build:console/);
  });
});

describe('Stack: staff sign-in on the hosted login (P15)', () => {
  const client = () => props(resourcesOfType(s.json, 'AWS::Cognito::UserPoolClient')[0]?.[1]);

  it('has one public app client: authorization code only, no secret, no direct sign-in', () => {
    // Act: read the app client
    const c = client();
    // Assess: code grant only (PKCE is the console's, Cognito accepts it from public clients), no secret
    expect(resourcesOfType(s.json, 'AWS::Cognito::UserPoolClient')).toHaveLength(1);
    expect(c.AllowedOAuthFlows).toEqual(['code']);
    expect(c.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(c.GenerateSecret).toBe(false);
    expect(c.AllowedOAuthScopes.sort()).toEqual(['email', 'openid', 'profile']);
    expect(c.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(c.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(c.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('returns to the console under the stage, and keeps tokens short-lived', () => {
    // Act: read the callback and logout URLs and the token validity
    const c = client();
    const url = c.CallbackURLs[0]['Fn::Join'][1] as Json[];
    // Assess: https://<api id>.execute-api.<region>.<suffix>/v1/console/, for sign-in and sign-out alike
    expect(url[0]).toBe('https://');
    expect(url[1]).toEqual({ Ref: logicalId(s.stack.api.restApi) });
    expect(url.at(-1)).toBe('/v1/console/');
    expect(c.CallbackURLs).toHaveLength(1);
    expect(c.LogoutURLs).toEqual(c.CallbackURLs);
    // Assess: ID token one hour, refresh token at most a working day
    expect(c.TokenValidityUnits).toMatchObject({ IdToken: 'minutes', RefreshToken: 'minutes' });
    expect(c.IdTokenValidity).toBe(60);
    expect(c.RefreshTokenValidity).toBeLessThanOrEqual(8 * 60);
  });

  it("has a hosted login domain with the prefix from the settings, in the pool's region", () => {
    // Act: read the domain, by default and with another prefix
    const [, domain] = resourcesOfType(s.json, 'AWS::Cognito::UserPoolDomain')[0] ?? [];
    const other = synth({ loginDomainPrefix: 'jsm-staff-test' });
    const [, otherDomain] = resourcesOfType(other.json, 'AWS::Cognito::UserPoolDomain')[0] ?? [];
    // Assess: a Cognito prefix domain (no custom domain, no certificate elsewhere) of the staff pool
    expect(props(domain)).toMatchObject({
      Domain: 'jsm-privacy-staff',
      UserPoolId: { Ref: expect.any(String) },
    });
    expect(props(domain).CustomDomainConfig).toBeUndefined();
    expect(props(otherDomain).Domain).toBe('jsm-staff-test');
  });

  it('refuses a login prefix Cognito would refuse', () => {
    // Act, Assess: upper case and the reserved word cognito fail the synth
    expect(() => synth({ loginDomainPrefix: 'JSM' })).toThrow(/loginDomainPrefix/);
    expect(() => synth({ loginDomainPrefix: 'jsm-cognito' })).toThrow(/loginDomainPrefix/);
  });

  it("accepts the client's ID tokens on the staff routes: the pool's authorizer, no scopes", () => {
    // Act: read the authorizer and the staff methods
    const [, authorizer] = resourcesOfType(s.json, 'AWS::ApiGateway::Authorizer')[0] ?? [];
    const staff = resourcesOfType(s.json, 'AWS::ApiGateway::Method')
      .map(([, m]) => props(m))
      .filter((p) => p.AuthorizationType === 'COGNITO_USER_POOLS');
    // Assess: the authorizer trusts the staff pool, whose one client issues the tokens
    expect(props(authorizer).ProviderARNs).toEqual([
      { 'Fn::GetAtt': [logicalId(s.stack.api.userPool), 'Arn'] },
    ]);
    expect(staff.length).toBe(API_ROUTES.filter((r) => r.access !== 'public').length);
    // Assess: no method asks for OAuth scopes, which would make API Gateway want access tokens instead
    for (const p of staff) expect(p.AuthorizationScopes).toBeUndefined();
  });
});
