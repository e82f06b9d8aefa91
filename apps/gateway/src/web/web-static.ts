import type { FastifyReply, FastifyRequest } from 'fastify';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WEB_CSP } from '@app/platform';
import { sendFile } from './send-file';

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
  const setHeaders = (reply: FastifyReply, file: string) => {
    // Every HTML file, `/index.html` asked for by name included, carries the portal's policy.
    if (file.endsWith('.html')) void reply.header('Content-Security-Policy', csp);
    void reply.header('Cache-Control', file.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  return {
    dir,
    setHeaders,
    async serve(request, reply, urlPath) {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_WEB.test(urlPath)) return;
      // A path with an extension is a file: a missing one (an old asset) is a 404, not the app's HTML.
      const hasExtension = path.extname(urlPath) !== '';
      await sendFile(request, reply, dir, hasExtension ? urlPath : '/index.html', setHeaders);
    },
  };
}
