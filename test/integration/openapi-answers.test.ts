// Real answers of the embedded runtime against the zod schemas the OpenAPI document describes them with (issue 11):
// the status is documented for its route, the media type is the documented one, and the body parses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { routeSpec } from '../../functions/api/openapi.ts';
import { API_ROUTES } from '../../functions/registry.ts';
import { routeMatcher } from '../../functions/routing.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { type Answer, call } from '../helpers/api.ts';
import { fileAndVerify, reachStatus } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime({ clock: '2026-11-25T09:00:00Z' });
});
afterAll(async () => {
  await rt?.stop();
});

const matcher = routeMatcher(API_ROUTES);

/** What is wrong with an answer against its route's documented response; empty when it matches. */
function mismatches(method: string, path: string, answer: Answer): string[] {
  const hit = matcher.match(method, path.split('?')[0] ?? path);
  if (hit.kind !== 'route') return [`no route for ${method} ${path}`];
  const where = `${hit.route.id} ${answer.status}`;
  const documented = routeSpec(hit.route).responses[answer.status];
  if (!documented || !('content' in documented)) return [`${where}: status not documented`];
  const type = (answer.headers.get('content-type') ?? '').split(';')[0] ?? '';
  const schema = documented.content?.[type]?.schema as z.ZodType | undefined;
  if (!schema) return [`${where}: ${type} not documented`];
  const parsed = schema.safeParse(answer.json);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${where}: ${i.path.join('.')} ${i.message}`);
}

describe('Answers match the API reference', () => {
  it('answers a subject’s and staff’s calls, success and problems, as the document describes them', {
    timeout: 120_000,
  }, async () => {
    // Prepare: a verified erasure waiting for approval, and staff tokens
    const email = DEMO_CUSTOMERS.an.email;
    const seen: [string, string, Answer][] = [];
    const calling = async (method: string, path: string, options: Parameters<typeof call>[3] = {}) => {
      const answer = await call(rt.apiUrl, method, path, options);
      seen.push([method, path, answer]);
      return answer;
    };
    const { id, token } = await fileAndVerify(rt, { type: 'erasure', email, language: 'en' }, [email]);
    await reachStatus(rt, id, token, ['awaiting_approval']);
    const [viewer, approver] = await Promise.all([rt.staffToken('viewer'), rt.staffToken('approver')]);
    const unknown = 'r_3kTMd9Qx1Lw7bZ0aPq2Yc4';
    // Act: successes and problems of public and staff routes
    await calling('POST', '/requests', {
      body: { type: 'access', email: 'someone@example.be', language: 'nl' },
    });
    await calling('POST', '/requests', { body: { type: 'nothing' } });
    await calling('POST', '/requests', { body: '{not json' });
    await calling('POST', `/requests/${id}/verify`, { body: { code: '00000000' } });
    await calling('GET', `/requests/${id}`, { token });
    await calling('GET', `/requests/${id}`);
    await calling('GET', '/openapi.json');
    await calling('GET', '/admin/requests?order=due', { token: viewer });
    await calling('GET', '/admin/requests');
    await calling('GET', `/admin/requests/${id}`, { token: viewer });
    await calling('GET', `/admin/requests/${unknown}`, { token: viewer });
    await calling('GET', `/admin/requests/${id}/subject`, { token: approver });
    await calling('GET', '/admin/dashboard', { token: viewer });
    await calling('POST', `/admin/requests/${id}/approve`, { token: viewer });
    await calling('POST', `/admin/requests/${unknown}/approve`, { token: approver });
    await calling('POST', '/admin/requests/not-an-id/approve', { token: approver });
    await calling('POST', `/admin/requests/${id}/retry`, { token: approver });
    await calling('POST', `/admin/requests/${id}/approve`, { token: approver });
    await calling('POST', `/admin/requests/${id}/approve`, { token: approver });
    // Assess: every status seen, each answer as documented
    const statuses = new Set(seen.map(([, , a]) => a.status));
    expect([...statuses].sort()).toEqual([200, 202, 400, 401, 403, 404, 409]);
    expect(seen.flatMap(([method, path, answer]) => mismatches(method, path, answer))).toEqual([]);
  });
});
