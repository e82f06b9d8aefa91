/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';
import { LAST_KNOWN_CACHE, STORED_AT_HEADER, WATCHLIST_URL } from './last-known';

/**
 * The portal's service worker (built by vite-plugin-pwa, injectManifest): the app shell (index.html, the
 * scripts and styles of every route, the icons) is precached, so the portal opens offline; the watchlist's
 * last answer is kept so that "My parcels" shows the last known statuses. Nothing else from the API is
 * stored: every other request goes to the network as if there were no service worker.
 */
declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

// A new version takes over at once: the shell is one build, there is no old page state to keep.
void self.skipWaiting();
clientsClaim();

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Client-side routes (/parcels, /track/…) open from the precached index.html; the server's own paths never do.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/(api|health|metrics|admin|\.well-known)(\/|$)/],
  }),
);

// The watchlist still comes from the network (never answered from the cache: a stale answer would pass for
// a fresh one); a successful answer to a signed-in request is copied aside with the time it was stored.
registerRoute(
  ({ request, url }) =>
    request.method === 'GET' && url.origin === self.location.origin && url.pathname + url.search === WATCHLIST_URL,
  new NetworkOnly({
    plugins: [
      {
        fetchDidSucceed: async ({ request, response }) => {
          if (response.status === 200 && request.headers.has('Authorization')) {
            const headers = new Headers(response.headers);
            headers.set(STORED_AT_HEADER, new Date().toISOString());
            const copy = new Response(await response.clone().blob(), { status: 200, headers });
            await (await caches.open(LAST_KNOWN_CACHE)).put(WATCHLIST_URL, copy);
          }
          return response;
        },
      },
    ],
  }),
);
