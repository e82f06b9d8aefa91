import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { API_CSP } from './content-security-policy';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Helmet's hardening headers (nosniff, frame and referrer policies, HSTS) and the strict API policy as the
 * default Content-Security-Policy of every response; a handler that serves HTML (the web portal, Swagger
 * UI, Bull Board) replaces it with its page's policy from content-security-policy.ts.
 */
export function securityHeaders(): Middleware {
  const headers = helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  return (req, res, next) => {
    // API answers carry tokens and personal data: never stored by a browser or a shared cache.
    if (req.url?.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', API_CSP);
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
