import type { Request, Response, NextFunction } from 'express';
import { errorBody } from './error-body';
import { RequestContext } from '../request-context';
import { negotiateLanguage } from '@app/contracts/i18n/languages';
import { translateApiMessage } from '../i18n/api-message';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Whether the request announces a body (a length above zero or a chunked stream). */
export function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  if (typeof length === 'string') return Number(length) > 0;
  return headers['transfer-encoding'] !== undefined;
}

/** Whether the media type (parameters ignored) is JSON: application/json or application/*+json. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const media = contentType.split(';')[0].trim().toLowerCase();
  return media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media);
}

/** A route whose body is not JSON: read as bytes up to `limit` (bytes format), its handler checks the type. */
export interface RawBodyRoute {
  method: 'POST' | 'PUT';
  /** The whole path, e.g. `/api/v1/labels/batches` (matched ignoring case and a trailing slash). */
  path: string;
  limit: string | number;
}

/** `req.path`: the target's path without its query (Express's `req.path`; on Fastify the caller passes it). */
export function rawBodyRouteMatches(route: RawBodyRoute, req: { method?: string; path: string }): boolean {
  return req.method === route.method && req.path.replace(/\/+$/, '').toLowerCase() === route.path.toLowerCase();
}

export const JSON_ONLY = 'Content-Type must be application/json';

/** 415 for a POST/PUT/PATCH whose body is not JSON, so a wrong type never reaches validation as "missing fields". */
export function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  requireJsonBodyExcept([])(req, res, next);
}

/** `requireJsonBody`, except on the routes that take another kind of body. */
export const requireJsonBodyExcept =
  (routes: readonly RawBodyRoute[]) =>
  (req: Request, res: Response, next: NextFunction): void => {
    if (routes.some((route) => rawBodyRouteMatches(route, req))) return next();
    if (METHODS_WITH_BODY.has(req.method) && hasBody(req.headers) && !isJsonContentType(req.headers['content-type'])) {
      const message = translateApiMessage(JSON_ONLY, negotiateLanguage(req.headers['accept-language']));
      res.status(415).json(errorBody(415, message, RequestContext.correlationId()));
      return;
    }
    next();
  };
