import { cameOverHttps, readCookie } from '@app/auth';
import type { CookieOptions, Request, Response } from 'express';

/** The cookie that carries the refresh token for a browser that asked for it. */
export const REFRESH_COOKIE = 'portal_refresh';

/**
 * The opt-in header (`X-Refresh-Cookie: 1`): login and refresh then answer with the refresh token in
 * the cookie instead of the body, and refresh and logout read the cookie when the body has none. A
 * cross-site page cannot send a custom header without a CORS preflight, so the cookie is honoured
 * only with it (on top of SameSite=Strict).
 */
export const REFRESH_COOKIE_HEADER = 'x-refresh-cookie';

/** Only the token routes receive the cookie. */
const REFRESH_COOKIE_PATH = '/api/v1/auth';

export function wantsRefreshCookie(req: Request): boolean {
  return req.headers[REFRESH_COOKIE_HEADER] === '1';
}

/** The refresh token from the cookie, when the caller opted in; undefined otherwise. */
export function refreshTokenFromCookie(req: Request): string | undefined {
  return wantsRefreshCookie(req) ? readCookie(req.headers.cookie, REFRESH_COOKIE) : undefined;
}

function options(req: Request): CookieOptions {
  // A session cookie (no Max-Age): the browser forgets it when it closes; the token's own lifetimes still apply.
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    secure: cameOverHttps(req.headers, req.secure),
  };
}

export function setRefreshCookie(req: Request, res: Response, refreshToken: string): void {
  res.cookie(REFRESH_COOKIE, refreshToken, options(req));
}

export function clearRefreshCookie(req: Request, res: Response): void {
  res.clearCookie(REFRESH_COOKIE, options(req));
}
