import { beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_BASE } from '../../functions/api/problems.ts';
import { API_ROUTES } from '../../functions/registry.ts';
import { STAFF_ROLES } from '../../infra/constructs/api.ts';
import { siteRoutes } from '../../infra/constructs/site.ts';
import { type Json, props, resourcesOfType, type Synthesized, synthOnce } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthOnce();
});

/** The path of an API Gateway resource, walking its parents up to the root. */
function pathOf(resourceRef: unknown): string {
  const id = (resourceRef as { Ref?: string }).Ref;
  if (!id) return '';
  const resource = s.json.Resources[id];
  if (resource?.Type !== 'AWS::ApiGateway::Resource') return '';
  const p = props(resource);
  return `${pathOf(p.ParentId)}/${p.PathPart}`;
}

const methods = () =>
  resourcesOfType(s.json, 'AWS::ApiGateway::Method').map(([id, m]) => {
    const p = props(m);
    return { id, method: p.HttpMethod as string, path: pathOf(p.ResourceId) || '/', p };
  });

describe('Stack: API', () => {
  it('has exactly one method per registry route and per page route, none of them shared', () => {
    // Act: list the synthesized methods as "VERB /path"
    const actual = methods()
      .map((m) => `${m.method} ${m.path}`)
      .sort();
    // Assess: exactly the registry's routes and the pages', no more, no fewer, no two the same
    const expected = [
      ...API_ROUTES.map((r) => `${r.method} ${r.path}`),
      ...siteRoutes('console/index.html').map((r) => `GET ${r.path}`),
    ].sort();
    expect(actual).toEqual(expected);
    expect(new Set(actual).size).toBe(actual.length);
  });

  it('guards every staff route with the Cognito authorizer and leaves every public route open (P15)', () => {
    // Act: find the API's authorizer
    const [authorizerId, authorizer] = resourcesOfType(s.json, 'AWS::ApiGateway::Authorizer')[0] ?? [];
    // Assess: it is the Cognito user pool authorizer
    expect(props(authorizer).Type).toBe('COGNITO_USER_POOLS');
    for (const route of API_ROUTES) {
      // Act: find the method of each registry route
      const m = methods().find((x) => x.method === route.method && x.path === route.path);
      // Assess: open when public, behind that authorizer otherwise
      if (route.access === 'public') {
        expect(m?.p.AuthorizationType, route.id).toBe('NONE');
        expect(m?.p.AuthorizerId, route.id).toBeUndefined();
      } else {
        expect(m?.p.AuthorizationType, route.id).toBe('COGNITO_USER_POOLS');
        expect(m?.p.AuthorizerId, route.id).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('integrates each registry route with its own Lambda as a proxy', () => {
    // Act: walk every synthesized method of a registry route
    const routes = new Set(API_ROUTES.map((r) => `${r.method} ${r.path}`));
    for (const m of methods().filter((x) => routes.has(`${x.method} ${x.path}`))) {
      // Assess: each is an AWS_PROXY integration with a Lambda function
      expect(m.p.Integration.Type, m.path).toBe('AWS_PROXY');
      expect(JSON.stringify(m.p.Integration.Uri), m.path).toContain('Function');
    }
  });

  it('is regional, so no edge location outside the EU serves it (P14)', () => {
    // Act: find the REST API
    const [, api] = resourcesOfType(s.json, 'AWS::ApiGateway::RestApi')[0] ?? [];
    // Assess: its endpoint is regional, not edge-optimised
    expect(props(api).EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
  });

  it('logs access without request bodies or client addresses, traces, and throttles the stage (P15)', () => {
    // Act: read the stage settings
    const [, stage] = resourcesOfType(s.json, 'AWS::ApiGateway::Stage')[0] ?? [];
    const p = props(stage);
    // Assess: access logs go somewhere, without IP or user agent; tracing on, data trace off, throttled
    expect(p.AccessLogSetting.DestinationArn).toBeDefined();
    expect(p.AccessLogSetting.Format).not.toMatch(/sourceIp|userAgent/);
    expect(p.TracingEnabled).toBe(true);
    expect(p.MethodSettings[0]).toMatchObject({ DataTraceEnabled: false, ThrottlingRateLimit: 50 });
  });

  it('attaches a WAF web ACL with a per-IP rate rule to the stage', () => {
    // Act: find the web ACL and its rules
    const [aclId, acl] = resourcesOfType(s.json, 'AWS::WAFv2::WebACL')[0] ?? [];
    const rules = props(acl).Rules as { Statement: Record<string, Json> }[];
    // Assess: one rule limits the rate per IP
    expect(rules.some((r) => r.Statement.RateBasedStatement?.AggregateKeyType === 'IP')).toBe(true);
    // Act: find the ACL's association
    const [, association] = resourcesOfType(s.json, 'AWS::WAFv2::WebACLAssociation')[0] ?? [];
    // Assess: it attaches that ACL
    expect(props(association).WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });

  it('lets only invited staff in, with MFA, and knows the roles viewer, approver and admin (P15)', () => {
    // Act: read the staff user pool
    const [, pool] = resourcesOfType(s.json, 'AWS::Cognito::UserPool')[0] ?? [];
    const p = props(pool);
    // Assess: admin-created users only, MFA by authenticator app, passwords of 12 characters or more
    expect(p.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(p.MfaConfiguration).toBe('ON');
    expect(p.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(p.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    // Act: list the pool's groups
    const groups = resourcesOfType(s.json, 'AWS::Cognito::UserPoolGroup').map(([, g]) => props(g).GroupName);
    // Assess: one group per staff role
    expect(groups.sort()).toEqual([...STAFF_ROLES].sort());
  });

  it('answers API Gateway errors as RFC 9457 problems', () => {
    // Act: find the gateway response for UNAUTHORIZED
    const responses = resourcesOfType(s.json, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => props(r));
    const unauthorized = responses.find((r) => r.ResponseType === 'UNAUTHORIZED');
    // Assess: a problem+json body of type unauthorized, status 401
    expect(unauthorized?.ResponseParameters['gatewayresponse.header.Content-Type']).toBe(
      "'application/problem+json'",
    );
    expect(JSON.parse(unauthorized?.ResponseTemplates['application/json'])).toMatchObject({
      type: `${PROBLEM_BASE}unauthorized`,
      status: 401,
    });
  });

  it('outputs the API, centre, console and sign-in URLs, the user pool ids and the state machine ARN', () => {
    // Act: list the stack outputs
    const outputs = Object.keys(s.json.Outputs ?? {});
    // Assess: the URLs, the user pool and client ids and the state machine are among them
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'PrivacyCentreUrl',
        'ConsoleUrl',
        'StaffLoginUrl',
        'UserPoolId',
        'UserPoolClientId',
        'StateMachineArn',
      ]),
    );
  });
});
