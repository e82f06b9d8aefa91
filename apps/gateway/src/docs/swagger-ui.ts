import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import path from 'node:path';
import { SWAGGER_UI_CSP } from '@app/platform';
import { sendFile } from '../web/send-file';

export const DOCS_PATH = '/api/docs';
export const DOCS_JSON_PATH = '/api/docs-json';

/** swagger-ui-dist's files, served under DOCS_PATH. */
export const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Postal portal API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
<script src="${DOCS_PATH}/swagger-initializer-gateway.js"></script>
</body>
</html>`;

const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: '${DOCS_JSON_PATH}', dom_id: '#swagger-ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout', validatorUrl: null });
};`;

const DOCS_UI = /^\/api\/docs(\/|$)/i;

/** Swagger UI's page and files (not the merged document, `/api/docs-json`). */
export function isDocsUiPath(urlPath: string): boolean {
  return DOCS_UI.test(urlPath);
}

/** Swagger UI (swagger-ui-dist's files) pointed at the merged document. */
export function registerSwaggerUi(fastify: FastifyInstance): void {
  const page = (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('Content-Security-Policy', SWAGGER_UI_CSP).type('text/html; charset=utf-8').send(PAGE);
  // The router ignores a trailing slash: this is `/api/docs/` too.
  fastify.get(DOCS_PATH, page);
  fastify.get(`${DOCS_PATH}/*`, async (request, reply) => {
    // The file from the raw target, not the route parameter: file names keep their case.
    const file = request.url.slice(DOCS_PATH.length).split('?')[0];
    if (file === '/') return page(request, reply);
    if (file === '/swagger-initializer-gateway.js') {
      return reply.type('application/javascript; charset=utf-8').send(INITIALIZER);
    }
    await sendFile(request, reply, SWAGGER_UI_DIR, file, (answer, path) => {
      // swagger-ui-dist ships its own index.html and oauth2-redirect.html: they get the UI's policy too.
      if (path.endsWith('.html')) void answer.header('Content-Security-Policy', SWAGGER_UI_CSP);
    });
    return reply;
  });
}
