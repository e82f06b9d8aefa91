import send from '@fastify/send';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends a file below `root` with @fastify/send (what @fastify/static wraps; @fastify/static 10 pulls in an
 * ES-module-only dependency that jest's CommonJS runtime cannot load). `urlPath` is the request's path,
 * still percent-encoded: send decodes it, refuses `..` (403) and ignores dot files. Conditional requests,
 * ranges and HEAD work as with Express's static files; a missing file (or a directory) goes to the
 * not-found handler. `setHeaders` adds the caller's headers to a found file's.
 */
export async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  root: string,
  urlPath: string,
  setHeaders: (reply: FastifyReply, file: string) => void,
): Promise<void> {
  const result = await send(request.raw, urlPath, {
    root,
    index: false,
    dotfiles: 'ignore',
    // The caller's Cache-Control only (send's default `public, max-age=0` would stand beside it).
    cacheControl: false,
  });
  if (result.type === 'file') {
    void reply.code(result.statusCode).headers(result.headers);
    setHeaders(reply, result.metadata.path);
    await reply.send(result.stream);
    return;
  }
  if (result.type === 'directory' || result.statusCode === 404) {
    result.stream?.destroy();
    reply.callNotFound();
    // Resolves once the not-found answer is written, so the request hook that called us ends after it.
    await reply;
    return;
  }
  // 403 for a path leaving root, 412/416 for preconditions and ranges: the error shape, with send's status.
  await reply.code(result.statusCode).send(result.metadata.error);
}
