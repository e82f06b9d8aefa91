import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Helmet's hardening headers (nosniff, frame and referrer policies, HSTS). CSP is left to whoever
 * serves HTML (Swagger UI, the web portal): the APIs answer JSON only.
 */
export function securityHeaders(): Middleware {
  const headers = helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  return (req, res, next) => {
    // API answers carry tokens and personal data: never stored by a browser or a shared cache.
    if (req.url?.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    headers(req, res, next);
  };
}

/** Log paths that may hold credentials (pino `redact`): bearer tokens, API keys, cookies. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];
