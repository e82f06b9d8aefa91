import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MetricsService } from './metrics.service';

const ROUTE_LABEL = Symbol('metricsRoute');

type Labelled = ServerResponse & { [ROUTE_LABEL]?: string };

/**
 * Names the route of a request answered outside Nest's router (the gateway's proxy), for the `route`
 * label of `http_request_duration_seconds`. Kept on the raw Node response, so it works whatever HTTP
 * framework wraps it (Express's `res` is that object; Fastify's is `reply.raw`).
 */
export function setMetricsRoute(res: ServerResponse, route: string): void {
  (res as Labelled)[ROUTE_LABEL] = route;
}

export function metricsRouteOf(res: ServerResponse): string | undefined {
  return (res as Labelled)[ROUTE_LABEL];
}

/**
 * Times each request and labels it with the matched route template (not the raw path, to bound cardinality);
 * a handler outside Nest's router names its route with `setMetricsRoute`. Only the template lookup
 * (`req.route`, `req.baseUrl`) is Express's; the timing works on the raw Node request and response.
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const express = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
      const routePath = express.route?.path;
      const route =
        metricsRouteOf(res) ?? (typeof routePath === 'string' ? `${express.baseUrl ?? ''}${routePath}` : 'unmatched');
      end({ method: req.method, route, status_code: String(res.statusCode) });
    });
    next();
  };
}
