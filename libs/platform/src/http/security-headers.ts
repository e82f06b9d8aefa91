import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { API_CSP } from './content-security-policy';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

type HeaderSetter = (res: ServerResponse) => void;

/**
 * What helmet does to a response with this configuration, recorded once against a stand-in response
 * and replayed as a list: its headers do not depend on the request, and its chain of a dozen middleware
 * closures per request was about 5 % of auth's main thread during logins (README "Performance").
 */
function recordHelmet(): HeaderSetter {
  const headers = helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  const steps: ((res: ServerResponse) => void)[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) =>
      steps.push((res) => res.setHeader(name, value)),
    removeHeader: (name: string) => steps.push((res) => res.removeHeader(name)),
  };
  let error: unknown;
  headers({ method: 'GET', url: '/', headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, (e) => {
    error = e;
  });
  if (error instanceof Error) throw error;
  if (error) throw new Error('helmet refused its configuration');
  return (res) => {
    for (const step of steps) step(res);
  };
}

/**
 * Helmet's hardening headers (nosniff, frame and referrer policies, HSTS) and the strict API policy as the
 * default Content-Security-Policy of every response; a handler that serves HTML (the web portal, Swagger
 * UI, Bull Board) replaces it with its page's policy from content-security-policy.ts.
 */
export function securityHeaders(): Middleware {
  const helmetHeaders = recordHelmet();
  return (req, res, next) => {
    // API answers carry tokens and personal data: never stored by a browser or a shared cache.
    if (req.url?.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', API_CSP);
    helmetHeaders(res);
    next();
  };
}

/** Log paths that may hold credentials (pino `redact`): bearer tokens, API keys, cookies. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];
