// The one route matcher: API Gateway's path templates (/requests/{id}, {proxy+}) as the stack declares them
// (infra/constructs/api.ts) and the local API server matches them (local/api-server.ts). Pure data, no handlers.
import type { ApiRoute } from './registry.ts';

/** The path parameter names of a template, in order: `/requests/{id}/verify` → ['id']. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1] as string);
}

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  names: string[];
  /** literal segments: the more, the more specific (API Gateway prefers /requests/search over /requests/{id}) */
  literals: number;
}

function compile(route: ApiRoute): CompiledRoute {
  let literals = 0;
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (!param) {
        if (segment) literals++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names: pathParameterNames(route.path), literals };
}

/** What a path and method find: the route with its parameters, a resource without that method, or nothing. */
export type RouteMatch =
  | { kind: 'route'; route: ApiRoute; pathParameters: Map<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'none' };

/** A matcher over a route table, with API Gateway's preference for the most specific resource. */
export function routeMatcher(routes: readonly ApiRoute[]) {
  const compiled = routes.map(compile);
  const resourceOf = (path: string) => {
    const matches = compiled
      .map((c) => ({ c, m: c.pattern.exec(path) }))
      .filter((x): x is { c: CompiledRoute; m: RegExpExecArray } => x.m !== null);
    const best = Math.max(...matches.map((x) => x.c.literals));
    return matches.filter((x) => x.c.literals === best);
  };
  return {
    /** Matches a decoded path (no stage prefix) and a method. */
    match(method: string, path: string): RouteMatch {
      const resource = resourceOf(path);
      if (resource.length === 0) return { kind: 'none' };
      const hit = resource.find((x) => x.c.route.method === method);
      if (!hit)
        return { kind: 'method-not-allowed', allow: [...new Set(resource.map((x) => x.c.route.method))] };
      const pathParameters = new Map(hit.c.names.map((name, i) => [name, hit.m[i + 1] ?? '']));
      return { kind: 'route', route: hit.c.route, pathParameters };
    },
    /** The template of the resource a path falls under, for access logs that must not show ids or tokens. */
    template(path: string): string | undefined {
      return resourceOf(path)[0]?.c.route.path;
    },
  };
}
