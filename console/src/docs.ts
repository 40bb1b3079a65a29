// The API reference at /docs: Swagger UI (served from swagger-ui-dist, console/docs.ts) renders /openapi.json.
// This file replaces swagger-ui's inline initializer, so the page runs under the pages' CSP without 'unsafe-inline'.

interface SwaggerUiOptions {
  url: string;
  domNode: Element;
  deepLinking: boolean;
  /** null: no badge fetched from validator.swagger.io (outside 'self', and the document leaves nothing here) */
  validatorUrl: null;
  defaultModelsExpandDepth: number;
  docExpansion: 'list' | 'full' | 'none';
  tryItOutEnabled: boolean;
}
declare const SwaggerUIBundle: (options: SwaggerUiOptions) => unknown;

const root = document.getElementById('swagger-ui');
if (root) {
  // Beside this script's own URL (assets/docs.js), so it works under the stage on AWS (/v1/openapi.json) too.
  const url = new URL('../openapi.json', import.meta.url).href;
  SwaggerUIBundle({
    url,
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
    docExpansion: 'list',
    tryItOutEnabled: false,
  });
}
