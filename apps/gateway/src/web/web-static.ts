import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Paths the portal's files never answer, even when nothing else does (their owners give the 404). */
const NOT_WEB = /^\/(api|health|metrics|admin\/queues|\.well-known)(\/|$)/i;

/** Only same-origin scripts, styles and requests; nothing inline, no framing. */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built web portal (`vite build` output) at `/`: hashed assets cached for a year,
 * index.html for any other GET of a page path so client-side routes survive a reload.
 * Returns undefined when `dir` has no index.html (an image built for the API only).
 */
export function webStatic(dir: string): RequestHandler | undefined {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return undefined;
  const files = express.static(dir, {
    index: false,
    fallthrough: true,
    redirect: false,
    setHeaders: (res, file) => {
      const immutable = file.startsWith(path.join(dir, 'assets') + path.sep);
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_WEB.test(req.path)) return next();
    files(req, res, () => {
      // A missing file with an extension (an old asset) is a 404, not the app's HTML.
      if (path.extname(req.path) !== '') return next();
      res.setHeader('Content-Security-Policy', WEB_CSP);
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index, (error?: Error) => {
        if (error) next(error);
      });
    });
  };
}
