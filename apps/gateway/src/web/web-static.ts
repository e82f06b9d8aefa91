import type { FastifyReply, FastifyRequest } from 'fastify';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WEB_CSP } from '@app/platform';
import { sendFile } from './send-file';

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

/** Paths the portal's files never answer, even when nothing else does (their owners give the 404). */
const NOT_WEB = /^\/(api|health|metrics|admin\/queues|\.well-known)(\/|$)/i;

export interface WebFiles {
  /** The built portal's directory (absolute). */
  dir: string;
  /**
   * Answers a GET/HEAD of a portal path with its file, or with index.html for a page path (no extension);
   * leaves anything else alone (the caller's not-found answer follows).
   */
  serve(request: FastifyRequest, reply: FastifyReply, urlPath: string): Promise<void>;
  /** Headers of a file sent from `dir`. */
  setHeaders(reply: FastifyReply, file: string): void;
}

/**
 * Serves the built web portal (`vite build` output) at `/`: hashed assets cached for a year,
 * index.html for any other GET of a page path so client-side routes survive a reload.
 * `csp`: the page policy (default WEB_CSP; the gateway passes `webCsp({stripe})`).
 * Returns undefined when `dir` has no index.html (an image built for the API only).
 */
export function webStatic(dir: string, options: { csp?: string } = {}): WebFiles | undefined {
  const csp = options.csp ?? WEB_CSP;
  if (!fs.existsSync(path.join(dir, 'index.html'))) return undefined;
  const assets = path.join(dir, 'assets') + path.sep;
  // Build-time gzip copies (apps/web/pwa/precompress.ts), sent to browsers that accept them (issue 20).
  const gzipped = new Set(
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.gz'))
      .map((f) => `/${f.slice(0, -3).split(path.sep).join('/')}`),
  );
  const setHeaders = (reply: FastifyReply, sent: string) => {
    let file = sent;
    if (file.endsWith('.gz')) {
      // The copy of `file` without `.gz`: its own media type, gzip-encoded.
      file = file.slice(0, -3);
      void reply.header('Content-Type', COMPRESSED_TYPES[path.extname(file)] ?? 'application/octet-stream');
      void reply.header('Content-Encoding', 'gzip');
    }
    void reply.header('Vary', 'Accept-Encoding');
    // Every HTML file, `/index.html` asked for by name included, and the service worker carry the portal's
    // policy. Neither it nor the web app manifest is hashed: `no-cache` below makes the browser check for a
    // new version on every visit.
    if (file.endsWith('.html') || file === path.join(dir, SERVICE_WORKER_FILE)) {
      void reply.header('Content-Security-Policy', csp);
    }
    void reply.header('Cache-Control', file.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  return {
    dir,
    setHeaders,
    async serve(request, reply, urlPath) {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_WEB.test(urlPath)) return;
      // A path with an extension is a file: a missing one (an old asset) is a 404, not the app's HTML.
      const hasExtension = path.extname(urlPath) !== '';
      const file = hasExtension ? urlPath : '/index.html';
      const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      await sendFile(request, reply, dir, gzipped.has(file) && acceptsGzip ? `${file}.gz` : file, setHeaders);
    },
  };
}
