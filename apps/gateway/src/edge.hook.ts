import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { matchesIfNoneMatch, setMetricsRoute } from '@app/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { DocsService } from './docs/docs.service';
import { DOCS_JSON_PATH, isDocsUiPath } from './docs/swagger-ui';
import { API_KEY_HEADER, EdgeAuthService } from './edge-auth/edge-auth.service';
import { type CachedLookup, LookupCache } from './lookup-cache/lookup-cache.service';
import { type ReadView, TrackingViewReader } from './lookup-cache/tracking-view-reader';
import { ProxyService } from './proxy/proxy.service';
import { RateLimitService, TooManyRequestsError } from './rate-limit/rate-limit.service';
import { isAuthRoute, matchRoute, TRACKING_LOOKUP_ROUTES, trackingLookupKind } from './routing/route-table';
import type { WebFiles } from './web/web-static';

/** Paths the gateway answers itself and does not rate limit (probes and scrapers call them often). */
const OWN_UNLIMITED = /^\/(health\/(live|ready)|metrics)$/;

/** The path of a request target, without its query (Express's `req.path`). */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * The edge, in order: rate limits, route lookup, authentication, proxying, then the web portal's files.
 * One Fastify `onRequest` hook, after the platform's (request id, security headers, JSON-only): a proxied
 * request is streamed before Fastify reads its body or routes it further. A thrown error goes to Fastify's
 * error handler, i.e. to the platform's error filter, so every refusal has the API error shape.
 */
@Injectable()
export class EdgeHook {
  private web: WebFiles | undefined;

  constructor(
    private readonly rateLimits: RateLimitService,
    private readonly edgeAuth: EdgeAuthService,
    private readonly proxy: ProxyService,
    private readonly docs: DocsService,
    private readonly lookups: LookupCache,
    private readonly views: TrackingViewReader,
  ) {}

  /** `web`: the portal's files, served to GET/HEAD requests no route and no service answers. */
  install(fastify: FastifyInstance, web?: WebFiles): void {
    this.web = web;
    fastify.addHook('onRequest', async (request, reply) => {
      try {
        await this.handle(request, reply);
      } catch (error) {
        if (error instanceof TooManyRequestsError) void reply.header('Retry-After', String(error.retryAfterSeconds));
        throw error;
      }
    });
  }

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const path = pathOf(request.url);
    // Swagger UI's page and files are not limited (they were served before the edge on Express).
    if (OWN_UNLIMITED.test(path) || isDocsUiPath(path)) return;
    const trackingLookup = trackingLookupKind(request.method, path);
    this.rateLimits.consume(request.ip ?? request.raw.socket.remoteAddress ?? 'unknown', {
      isAuthRoute: isAuthRoute(path),
      trackingLookup,
    });

    if (path === DOCS_JSON_PATH && request.method === 'GET') {
      setMetricsRoute(reply.raw, DOCS_JSON_PATH);
      await reply.send(await this.docs.mergedDocument());
      return;
    }
    const route = matchRoute(request.method, path);
    switch (route.kind) {
      case 'none':
        // Only what no route of the gateway's own answers (health, metrics, Swagger UI) is a portal page.
        if (this.web && request.is404) await this.web.serve(request, reply, path);
        return;
      case 'not-exposed':
        throw new NotFoundException(`Cannot ${request.method} ${path}`);
      case 'invalid-path':
        throw new BadRequestException('Invalid path');
      case 'proxy': {
        setMetricsRoute(
          reply.raw,
          trackingLookup ? TRACKING_LOOKUP_ROUTES[trackingLookup] : `${route.service} ${route.prefix}`,
        );
        // An anonymous single lookup: answered from the edge cache when it holds the view (no credentials to check).
        const cacheKey =
          trackingLookup === 'single' ? this.lookups.keyOf(request.method, request.url, request.headers) : undefined;
        const hit = cacheKey === undefined ? undefined : this.lookups.get(cacheKey);
        if (hit) {
          await this.answerView(request, reply, hit, 'HIT');
          return;
        }
        // Begun before the view is read (from Redis or tracking): a change announced meanwhile is not stored.
        const fill = cacheKey === undefined ? undefined : this.lookups.beginFill(cacheKey);
        // Not held here: tracking's view from its read model, one Redis GET instead of a hop to tracking.
        if (fill && this.views.enabled && this.lookups.readModelTrusted()) {
          const view = await this.views.read(fill.trackingNumber);
          if (view) {
            this.lookups.complete(fill, 200, view.headers, view.body);
            await this.answerView(request, reply, view, 'MISS');
            return;
          }
        }
        let captured: { status: number; headers: IncomingHttpHeaders; body: Buffer | undefined } | undefined;
        try {
          this.proxy.assertDeclaredLength(request.raw);
          const { setHeaders } = await this.edgeAuth.authenticate(request.raw, route.isPublic, route.cookie);
          if (fill) void reply.header('x-cache', 'MISS');
          await this.proxy.forward(request.raw, reply.raw, {
            service: route.service,
            setHeaders,
            dropHeaders: [API_KEY_HEADER],
            protocol: request.protocol,
            // The answer is streamed on the raw response: it carries the headers set so far (request id, CORS).
            takeOver: () => {
              for (const [name, value] of Object.entries(reply.getHeaders())) {
                if (value !== undefined) reply.raw.setHeader(name, value);
              }
              reply.hijack();
            },
            capture: fill && {
              maxBytes: this.lookups.maxBodyBytes,
              done: (status, headers, body) => (captured = { status, headers, body }),
            },
          });
        } finally {
          // Always settled (a refused request too: the fill is begun before the checks), so none stays pending.
          if (fill) this.lookups.complete(fill, captured?.status ?? 0, captured?.headers ?? {}, captured?.body);
        }
        return;
      }
    }
  }

  /**
   * Tracking's answer as it was (from the edge cache: HIT) or as tracking would give it (from its read model: MISS),
   * or 304 when the caller holds it (`If-None-Match`, weak comparison).
   */
  private async answerView(
    request: FastifyRequest,
    reply: FastifyReply,
    view: CachedLookup | ReadView,
    xCache: 'HIT' | 'MISS',
  ): Promise<void> {
    void reply.headers(view.headers).header('x-cache', xCache);
    if (matchesIfNoneMatch(request.headers, view.etag)) {
      void reply.code(304).removeHeader('content-type');
      await reply.send();
      return;
    }
    await reply.code(200).send(view.body);
  }
}
