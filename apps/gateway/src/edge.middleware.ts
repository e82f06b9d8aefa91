import { Injectable, NotFoundException, BadRequestException } from '@nestjs/common';
import { setMetricsRoute } from '@app/platform';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DocsService } from './docs/docs.service';
import { DOCS_JSON_PATH } from './docs/swagger-ui';
import { API_KEY_HEADER, EdgeAuthService } from './edge-auth/edge-auth.service';
import { ProxyService } from './proxy/proxy.service';
import { RateLimitService, TooManyRequestsError } from './rate-limit/rate-limit.service';
import { isAuthRoute, matchRoute, TRACKING_LOOKUP_ROUTES, trackingLookupKind } from './routing/route-table';

/** Paths the gateway answers itself and does not rate limit (probes and scrapers call them often). */
const OWN_UNLIMITED = /^\/(health\/(live|ready)|metrics)$/;

/**
 * The edge, in order: rate limits, route lookup, authentication, proxying. Errors go to `next(err)`,
 * i.e. to the platform's error filter, so every refusal has the API error shape.
 */
@Injectable()
export class EdgeMiddleware {
  constructor(
    private readonly rateLimits: RateLimitService,
    private readonly edgeAuth: EdgeAuthService,
    private readonly proxy: ProxyService,
    private readonly docs: DocsService,
  ) {}

  handler(): RequestHandler {
    return (req, res, next) => {
      this.handle(req, res, next).catch((error: unknown) => {
        if (error instanceof TooManyRequestsError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
        next(error);
      });
    };
  }

  private async handle(req: Request, res: Response, next: NextFunction): Promise<void> {
    const path = req.path;
    if (OWN_UNLIMITED.test(path)) return next();
    const trackingLookup = trackingLookupKind(req.method, path);
    await this.rateLimits.consume(req.ip ?? req.socket.remoteAddress ?? 'unknown', {
      isAuthRoute: isAuthRoute(path),
      trackingLookup,
    });

    if (path === DOCS_JSON_PATH && req.method === 'GET') {
      setMetricsRoute(res, DOCS_JSON_PATH);
      res.json(await this.docs.mergedDocument());
      return;
    }
    const route = matchRoute(req.method, path);
    switch (route.kind) {
      case 'none':
        return next();
      case 'not-exposed':
        throw new NotFoundException(`Cannot ${req.method} ${path}`);
      case 'invalid-path':
        throw new BadRequestException('Invalid path');
      case 'proxy': {
        setMetricsRoute(
          res,
          trackingLookup ? TRACKING_LOOKUP_ROUTES[trackingLookup] : `${route.service} ${route.prefix}`,
        );
        this.proxy.assertDeclaredLength(req);
        const { setHeaders } = await this.edgeAuth.authenticate(req, route.isPublic, route.cookie);
        await this.proxy.forward(req, res, { service: route.service, setHeaders, dropHeaders: [API_KEY_HEADER] });
        return;
      }
    }
  }
}
