import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { RequestContext } from '../request-context';
import { metricsRouteOf } from '../metrics/http-metrics.middleware';
import type { MetricsService } from '../metrics/metrics.service';
import { matchesIfNoneMatch, weakEtag } from './conditional';
import { errorBody } from './error-body';
import { hasBody, isJsonContentType, JSON_ONLY, type RawBodyRoute, rawBodyRouteMatches } from './content-type';
import { negotiateLanguage } from '@app/contracts/i18n/languages';
import { translateApiMessage } from '../i18n/api-message';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id';
import { tagRequestId } from '../tracing/trace-context';
import { securityHeaders } from './security-headers';
import { requestLogLevel } from '../logging/request-log-level';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/** Media types accepted as JSON beside application/json (isJsonContentType's `application/*+json`). */
const SUFFIX_JSON = /^application\/[a-z0-9.+-]+\+json(;.*)?$/i;

export interface FastifyHttpOptions {
  logger: Logger;
  metrics: MetricsService;
  /** Largest JSON body, bytes. */
  bodyLimit: number;
  /** Answer 415 to a body that is not JSON. */
  jsonOnly: boolean;
  /** Read and parse JSON bodies; false: no body is read (every type accepted unread, the gateway streams them). */
  parseJson?: boolean;
  /** Routes exempt from the JSON-only rule (bootstrap.ts `rawBodyRoutes`). */
  rawBodyRoutes?: readonly RawBodyRoute[];
}

interface Timed {
  startedAt?: bigint;
}

/**
 * The platform's HTTP shape as Fastify hooks, the same behaviour as the Express middleware chain of
 * bootstrap.ts: request id (echoed, in the async context), helmet headers and the API policy, 415 for
 * non-JSON bodies, one log line per request, the duration metric by route template, and Express's weak
 * ETag with `If-None-Match` → 304 (tracking lookups rely on it). Hooks, not middie middleware: no
 * Express-style layer runs per request.
 */
export function installFastifyHttp(instance: FastifyInstance, options: FastifyHttpOptions): void {
  const { logger, metrics } = options;
  const helmetHeaders = securityHeaders();
  const rawBodyRoutes = options.rawBodyRoutes ?? [];
  const rawBodyRoute = (method: string | undefined, url: string | undefined): boolean => {
    if (rawBodyRoutes.length === 0) return false;
    const path = (url ?? '').split('?')[0];
    return rawBodyRoutes.some((route) => rawBodyRouteMatches(route, { method, path }));
  };

  instance.addHook('onRequest', (request: FastifyRequest & Timed, reply: FastifyReply, done) => {
    request.startedAt = process.hrtime.bigint();
    const raw = request.raw;
    const requestId = request.id;
    raw.headers[REQUEST_ID_HEADER] = requestId;
    reply.header(REQUEST_ID_HEADER, requestId);
    // As the Express middleware does: the trace of this request carries its id.
    tagRequestId(requestId);
    helmetHeaders(raw, reply.raw, (error?: unknown) => {
      if (error) return done(error as Error);
      if (
        options.jsonOnly &&
        METHODS_WITH_BODY.has(raw.method ?? '') &&
        hasBody(raw.headers) &&
        !isJsonContentType(raw.headers['content-type']) &&
        !rawBodyRoute(raw.method, raw.url)
      ) {
        const message = translateApiMessage(JSON_ONLY, negotiateLanguage(raw.headers['accept-language']));
        void reply.code(415).send(errorBody(415, message, requestId));
        return;
      }
      RequestContext.run(requestId, done);
    });
  });
  // Body parsing reads the socket outside the request's async context: enter it again before the handler.
  instance.addHook('preHandler', (request, _reply, done) => RequestContext.run(request.id, done));

  // Express's res.send behaviour: a weak ETag on every 2xx body of a GET or HEAD, 304 when the client has it.
  instance.addHook('onSend', (request, reply, payload, done) => {
    const status = reply.statusCode;
    if (
      (request.method !== 'GET' && request.method !== 'HEAD') ||
      status < 200 ||
      status >= 300 ||
      (typeof payload !== 'string' && !Buffer.isBuffer(payload)) ||
      reply.hasHeader('etag')
    ) {
      return done(null, payload);
    }
    const tag = weakEtag(payload);
    reply.header('etag', tag);
    if (matchesIfNoneMatch(request.headers, tag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return done(null, '');
    }
    done(null, payload);
  });

  instance.addHook('onResponse', (request: FastifyRequest & Timed, reply, done) => {
    const seconds = Number(process.hrtime.bigint() - (request.startedAt ?? 0n)) / 1e9;
    const label = metricsRouteOf(reply.raw);
    const template = request.routeOptions.url;
    const route = typeof label === 'string' ? label : (template ?? 'unmatched');
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, seconds);
    const level = requestLogLevel(request.url);
    if (logger.isLevelEnabled(level)) {
      // One line per request, as pino-http wrote it, without its per-request child logger.
      logger[level](
        {
          requestId: request.id,
          req: { id: request.id, method: request.method, url: request.url, remoteAddress: request.ip },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(seconds * 1000),
        },
        'request completed',
      );
    }
    done();
  });

  if (options.parseJson === false) {
    // The body stays unread on the raw request for whoever streams it on (the gateway's proxy, in a hook).
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null));
    return;
  }
  // Express's body-parser behaviour: an empty body is `{}`; `application/*+json` is JSON too.
  const defaultJson = instance.getDefaultJsonParser('error', 'error');
  const parseJson = (
    request: FastifyRequest,
    body: string | Buffer,
    done: (err: Error | null, body?: unknown) => void,
  ) => {
    if (body === '' || body.length === 0) return done(null, {});
    void defaultJson(request, body as string, done);
  };
  instance.removeContentTypeParser('application/json');
  for (const type of ['application/json', SUFFIX_JSON]) {
    instance.addContentTypeParser(type, { parseAs: 'string', bodyLimit: options.bodyLimit }, parseJson);
  }
}

/** The request id Fastify gives each request: the caller's when it is safe, else a new one. */
export function fastifyRequestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  return resolveRequestId(req.headers[REQUEST_ID_HEADER]);
}
