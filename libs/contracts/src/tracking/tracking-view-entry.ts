/**
 * The tracking read model in Redis (issue 14): one key per tracking number (after the deployment's REDIS_PREFIX),
 * written by tracking only. The gateway reads it for anonymous public lookups its edge cache does not hold, so the
 * key and the entry's layout are a contract between the two.
 */
export function trackingViewKey(trackingNumber: string): string {
  return `tracking:view:${trackingNumber}`;
}

const ENTRY_START = '{"version":';
const VIEW_FIELD = ',"view":';

/**
 * An entry's JSON: `{"version":<n>,"view":<the public view, or null for a number the store does not know>}`.
 * `version` comes first (tracking's version compare in Lua reads it from the start), and the view's JSON is
 * exactly what a lookup answers, so a reader can serve it without parsing it again.
 */
export function encodeTrackingViewEntry(version: number, view: object | null): string {
  return JSON.stringify({ version, view });
}

/**
 * The public view's JSON inside an entry, as tracking answers it; null when the entry says the number is not known
 * or is not in that layout.
 */
export function trackingViewJsonOf(entry: string): string | null {
  if (!entry.startsWith(ENTRY_START) || !entry.endsWith('}')) return null;
  const at = entry.indexOf(VIEW_FIELD, ENTRY_START.length);
  if (at === -1 || !/^\d+$/.test(entry.slice(ENTRY_START.length, at))) return null;
  const view = entry.slice(at + VIEW_FIELD.length, -1);
  return view.startsWith('{') ? view : null;
}

/**
 * `Cache-Control` of a public view (a lookup's 200): any cache (the gateway's edge cache, a CDN, a browser) may keep
 * it but must revalidate it before each use (`no-cache`; the weak ETag makes that a 304): a change must show within
 * a second. Tracking and the gateway, which answers views it read from the read model, send the same.
 */
export const TRACKING_VIEW_CACHE_CONTROL = 'public, no-cache';
