import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WEB_CSP } from '@app/platform';

/** Paths the portal's files never answer, even when nothing else does (their owners give the 404). */
const NOT_WEB = /^\/(api|health|metrics|admin\/queues|\.well-known)(\/|$)/i;

/** Media types of the files the build compresses (apps/web/pwa/precompress.ts). */
const COMPRESSED_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
};

/**
 * The portal's service worker script (issue 20). Its response's policy is the worker's own: it gets the page's,
 * whose `connect-src 'self'` lets it fetch the app shell (the API's `default-src 'none'` would block that).
 */
export const SERVICE_WORKER_FILE = 'service-worker.js';

/**
 * Serves the built web portal (`vite build` output) at `/`: hashed assets cached for a year,
 * index.html for any other GET of a page path so client-side routes survive a reload.
 * `csp`: the page policy (default WEB_CSP; the gateway passes `webCsp({stripe})`).
 * Returns undefined when `dir` has no index.html (an image built for the API only).
 */
export function webStatic(dir: string, options: { csp?: string } = {}): RequestHandler | undefined {
  const csp = options.csp ?? WEB_CSP;
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return undefined;
  // Build-time gzip copies (apps/web/pwa/precompress.ts), sent to browsers that accept them (issue 20).
  const gzipped = new Set(
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.gz'))
      .map((f) => `/${f.slice(0, -3).split(path.sep).join('/')}`),
  );
  const files = express.static(dir, {
    index: false,
    fallthrough: true,
    redirect: false,
    setHeaders: (res, file) => {
      if (file.endsWith('.gz')) {
        // The copy of `file` without `.gz`: its own media type, gzip-encoded.
        file = file.slice(0, -3);
        res.setHeader('Content-Type', COMPRESSED_TYPES[path.extname(file)] ?? 'application/octet-stream');
        res.setHeader('Content-Encoding', 'gzip');
      }
      res.setHeader('Vary', 'Accept-Encoding');
      // Every HTML file, `/index.html` asked for by name included, and the service worker carry the portal's
      // policy. Neither it nor the web app manifest (application/manifest+json) is hashed: `no-cache` below
      // makes the browser check for a new version on every visit.
      if (file.endsWith('.html') || file === path.join(dir, SERVICE_WORKER_FILE)) {
        res.setHeader('Content-Security-Policy', csp);
      }
      const immutable = file.startsWith(path.join(dir, 'assets') + path.sep);
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_WEB.test(req.path)) return next();
    if (gzipped.has(req.path) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) req.url = `${req.path}.gz`;
    files(req, res, () => {
      // A missing file with an extension (an old asset) is a 404, not the app's HTML.
      if (path.extname(req.path) !== '') return next();
      res.setHeader('Content-Security-Policy', csp);
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index, (error?: Error) => {
        if (error) next(error);
      });
    });
  };
}
