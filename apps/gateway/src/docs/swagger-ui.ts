import express, { type RequestHandler, type Router } from 'express';
import path from 'node:path';
import { SWAGGER_UI_CSP } from '@app/platform';

export const DOCS_PATH = '/api/docs';
export const DOCS_JSON_PATH = '/api/docs-json';

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

/** Swagger UI (swagger-ui-dist's files) pointed at the merged document. */
export function swaggerUiRouter(): Router {
  const router = express.Router();
  const page: RequestHandler = (_req, res) => {
    res.setHeader('Content-Security-Policy', SWAGGER_UI_CSP);
    res.type('html').send(PAGE);
  };
  router.get(DOCS_PATH, page);
  router.get(`${DOCS_PATH}/`, page);
  router.get(`${DOCS_PATH}/swagger-initializer-gateway.js`, (_req, res) => {
    res.type('application/javascript').send(INITIALIZER);
  });
  router.use(
    DOCS_PATH,
    express.static(path.dirname(require.resolve('swagger-ui-dist/package.json')), {
      index: false,
      // swagger-ui-dist ships its own index.html and oauth2-redirect.html: they get the UI's policy too.
      setHeaders: (res, file) => {
        if (file.endsWith('.html')) res.setHeader('Content-Security-Policy', SWAGGER_UI_CSP);
      },
    }),
  );
  return router;
}
