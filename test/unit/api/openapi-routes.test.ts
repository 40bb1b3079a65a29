// The OpenAPI document against the registry, both ways (issue 11): every route has its request and response schemas,
// every documented operation has its route. It reads API_ROUTES, so a route added anywhere is checked without a
// change here.
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/api/openapi-document.ts';
import { API_ROUTES, type ApiRoute } from '../../../functions/registry.ts';

interface Schema {
  $ref?: string;
  type?: string;
  [k: string]: unknown;
}
interface Response {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
  headers?: Record<string, { schema?: Schema }>;
}
interface Operation {
  operationId?: string;
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, Response>;
  security?: Record<string, string[]>[];
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
}

const doc = openApiDocument() as Doc;
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
);
const operationOf = (r: ApiRoute) => doc.paths[r.path]?.[r.method.toLowerCase()];
/** Each route with its operation; the first test proves there is one. */
const described = () => API_ROUTES.map((r) => ({ r, op: operationOf(r) as Operation }));
const nonEmpty = (s: Schema | undefined) => s !== undefined && Object.keys(s).length > 0;

describe('OpenAPI document and route registry', () => {
  it('describes every route of the registry, under its method, path and id', () => {
    // Act: look each route up in the document
    const missing = API_ROUTES.filter((r) => operationOf(r)?.operationId !== r.id).map((r) => r.id);
    // Assess: none missing, and the routes are many (the registry was read)
    expect(missing).toEqual([]);
    expect(API_ROUTES.length).toBeGreaterThan(20);
  });

  it('documents no operation without its route', () => {
    // Act: look each documented operation up in the registry
    const orphans = operations
      .filter(({ path, method, op }) => {
        const route = API_ROUTES.find((r) => r.path === path && r.method === method);
        return route?.id !== op.operationId;
      })
      .map(({ path, method }) => `${method} ${path}`);
    // Assess
    expect(orphans).toEqual([]);
    expect(operations).toHaveLength(API_ROUTES.length);
  });

  it('describes each path parameter of a route, and no other', () => {
    for (const { r, op } of described()) {
      // Act: the {names} of the path against the documented path parameters
      const inPath = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const documented = (op.parameters ?? []).filter((p) => p.in === 'path');
      // Assess: the same names, each required with a schema
      expect(documented.map((p) => p.name).sort(), r.id).toEqual(inPath);
      for (const p of documented) {
        expect(p.required, `${r.id} ${p.name}`).toBe(true);
        expect(nonEmpty(p.schema), `${r.id} ${p.name}`).toBe(true);
      }
    }
  });

  it('gives every request body a schema per media type, and every idempotent route its Idempotency-Key', () => {
    for (const { r, op } of described()) {
      // Act: the body's media types, and the headers
      const bodies = Object.entries(op.requestBody?.content ?? {});
      const header = (op.parameters ?? []).find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      // Assess: each with a schema; only a POST has a body; the key documented exactly where the route keeps one
      for (const [type, media] of bodies) expect(nonEmpty(media.schema), `${r.id} ${type}`).toBe(true);
      if (r.method === 'GET') expect(op.requestBody, r.id).toBeUndefined();
      expect(header !== undefined, r.id).toBe(r.needs.includes('idempotency'));
    }
  });

  it('gives every route a success answer, and every answer with a body a schema', () => {
    for (const { r, op } of described()) {
      // Act: the documented statuses
      const statuses = Object.keys(op.responses);
      // Assess: at least one 2xx or 3xx
      expect(
        statuses.some((s) => /^[23]\d\d$/.test(s)),
        r.id,
      ).toBe(true);
      for (const [status, res] of Object.entries(op.responses)) {
        const where = `${r.id} ${status}`;
        expect(res.description, where).toBeTruthy();
        if (/^3\d\d$/.test(status)) {
          // A redirect has no body; it must say where it sends the client.
          expect(res.content, where).toBeUndefined();
          expect(nonEmpty(res.headers?.Location?.schema), where).toBe(true);
          continue;
        }
        const media = Object.entries(res.content ?? {});
        expect(media.length, where).toBeGreaterThan(0);
        for (const [type, m] of media) expect(nonEmpty(m.schema), `${where} ${type}`).toBe(true);
      }
    }
  });

  it('answers every error as an RFC 9457 problem with the Problem schema', () => {
    for (const { r, op } of described())
      for (const [status, res] of Object.entries(op.responses).filter(([s]) => /^[45]\d\d$/.test(s))) {
        // Assess: problem+json only, the shared schema
        expect(Object.keys(res.content ?? {}), `${r.id} ${status}`).toEqual(['application/problem+json']);
        expect(res.content?.['application/problem+json']?.schema?.$ref, `${r.id} ${status}`).toBe(
          '#/components/schemas/Problem',
        );
      }
  });

  it('documents the problems every route of its kind can answer (P15 for staff routes)', () => {
    for (const { r, op } of described()) {
      // Act: the error statuses the route documents
      const has = (status: number) => String(status) in op.responses;
      const json = 'application/json' in (op.requestBody?.content ?? {});
      // Assess: staff routes need a staff token and a role; public ones no staff login
      const staff = r.access !== 'public';
      expect(
        (op.security ?? []).some((s) => 'staff' in s),
        r.id,
      ).toBe(staff);
      if (staff) expect([has(401), has(403)], r.id).toEqual([true, true]);
      // Assess: staff name a request that may not exist (the subject's own status route answers 401 for that)
      if (staff && r.path.includes('{id}')) expect(has(404), `${r.id} 404`).toBe(true);
      // Assess: a malformed request id, a bad JSON body, the Idempotency-Key's own refusals (functions/api/http.ts)
      if (r.path.includes('{id}')) expect(has(400), `${r.id} id`).toBe(true);
      if (json) expect([has(400), has(415)], `${r.id} body`).toEqual([true, true]);
      if (r.needs.includes('idempotency')) expect([has(409), has(422)], `${r.id} key`).toEqual([true, true]);
    }
  });
});
