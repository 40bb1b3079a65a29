// The OpenAPI 3.1 document of every route in the registry, each described by routeSpec (openapi.ts).
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { API_ROUTES } from '../registry.ts';
import { routeSpec } from './openapi.ts';

let document: object | undefined;

/** The OpenAPI document for every route in the registry. */
export function openApiDocument(): object {
  if (document) return document;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'staff', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  registry.registerComponent('securitySchemes', 'statusToken', { type: 'http', scheme: 'bearer' });
  for (const r of API_ROUTES) {
    const spec = routeSpec(r);
    registry.registerPath({
      method: r.method.toLowerCase() as 'get' | 'post',
      path: r.path,
      operationId: r.id,
      // The reference at /docs groups the routes by who may call them.
      tags: [r.access === 'public' ? 'Public' : 'Staff'],
      ...spec,
    });
  }
  document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'JSM privacy rights API',
      version: '1.0.0',
      description:
        "Carries out the rights promised in JSM BV's privacy statement. Errors are RFC 9457 problems.",
    },
    // Relative to where this document is served (OpenAPI 3.1): the root locally, the stage (/v1/) on AWS.
    servers: [{ url: '.' }],
    tags: [
      { name: 'Public', description: 'Subjects and links: no login' },
      {
        name: 'Staff',
        description: 'A Cognito ID token with the role each route names (viewer, approver, admin)',
      },
    ],
  });
  return document;
}
