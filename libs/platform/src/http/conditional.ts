import { createHash } from 'node:crypto';

/** Express's default ETag of a body (the `etag` package, weak): `W/"<length hex>-<sha1 base64, 27 chars>"`. */
export function weakEtag(body: string | Buffer): string {
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  if (length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  const hash = createHash('sha1').update(body).digest('base64').substring(0, 27);
  return `W/"${length.toString(16)}-${hash}"`;
}

/**
 * Whether `If-None-Match` names this entity tag (weak comparison, RFC 9110 §13.1.2), as Express's
 * `req.fresh` decides it; `Cache-Control: no-cache` in the request asks for the full answer.
 */
export function matchesIfNoneMatch(headers: Record<string, string | string[] | undefined>, etag: string): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (typeof ifNoneMatch !== 'string' || ifNoneMatch === '') return false;
  const cacheControl = headers['cache-control'];
  if (typeof cacheControl === 'string' && /(?:^|,)\s*no-cache\s*(?:,|$)/.test(cacheControl)) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => opaque(tag.trim()) === wanted);
}
