import { route } from './http.ts';
import { openApiDocument } from './openapi-document.ts';

/** GET /openapi.json */
export const handler = route({ id: 'GetOpenApi' }, async () => ({ status: 200, body: openApiDocument() }));
