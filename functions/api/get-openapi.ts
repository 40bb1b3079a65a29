import { openApiDocument } from './openapi.ts';
import { route } from './http.ts';

/** GET /openapi.json */
export const handler = route({ id: 'GetOpenApi' }, async () => ({ status: 200, body: openApiDocument() }));
