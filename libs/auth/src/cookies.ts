import type { IncomingHttpHeaders } from 'node:http';

/** Where Bull Board is mounted (notifications, reached through the gateway). */
export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The cookie that lets an operator's browser open {@link QUEUE_BOARD_PATH}: a page visit carries no
 * Bearer header, so `POST /api/v1/admin/queues/session` copies the access token into this HttpOnly,
 * SameSite=Strict cookie scoped to that path; the gateway and Bull Board verify it like a Bearer token.
 */
export const QUEUE_BOARD_COOKIE = 'portal_queue_board';

/** The value of the cookie `name` in a `Cookie` header; undefined when absent or empty. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Whether the browser reached us over https: directly, or through the gateway (which sets
 * `x-forwarded-proto` from its own view of the request). Decides a cookie's `Secure` flag.
 */
export function cameOverHttps(headers: IncomingHttpHeaders, secureSocket: boolean): boolean {
  const forwarded = headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return secureSocket || first === 'https';
}
