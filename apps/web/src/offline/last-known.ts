/**
 * What the service worker keeps for offline use besides the app shell (issue 20), and how the page reads and
 * forgets it. Only the watchlist's last answer is kept: it is personal, so it lives in its own cache that the
 * page deletes whenever a session ends (logout, a refused refresh) or a new one starts (login), and the
 * offline page shows it only while this browser still holds a session (`SessionStore.maySignIn`).
 */
export const LAST_KNOWN_CACHE = 'portal-last-known-v1';
/** The one API answer kept: the watchlist as "My parcels" and the dashboard ask for it. */
export const WATCHLIST_API = '/tracking/watchlist?limit=50';
export const WATCHLIST_URL = `/api/v1${WATCHLIST_API}`;
/** Set by the service worker on the stored copy: when the answer came from the server. */
export const STORED_AT_HEADER = 'X-Portal-Stored-At';

export interface LastKnown<T> {
  data: T;
  storedAt: Date;
}

/** The stored answer for `url` and when it was stored, or null (nothing stored, or no Cache Storage here). */
export async function readLastKnown<T>(url: string = WATCHLIST_URL): Promise<LastKnown<T> | null> {
  if (typeof caches === 'undefined') return null;
  const cache = await caches.open(LAST_KNOWN_CACHE);
  const res = await cache.match(url);
  if (!res) return null;
  const stamp = res.headers.get(STORED_AT_HEADER) ?? res.headers.get('Date');
  return { data: (await res.json()) as T, storedAt: stamp ? new Date(stamp) : new Date(0) };
}

/** Deletes every personal answer kept for offline use (the app shell stays: it holds nothing personal). */
export async function forgetPersonalData(): Promise<void> {
  if (typeof caches === 'undefined') return;
  await caches.delete(LAST_KNOWN_CACHE);
}
