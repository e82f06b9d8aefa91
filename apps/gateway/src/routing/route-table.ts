import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_PATH } from '@app/auth';
import { Role } from '@app/contracts';

export type ServiceName = 'auth' | 'tracking' | 'pickup' | 'notifications';

export const SERVICE_NAMES: readonly ServiceName[] = ['auth', 'tracking', 'pickup', 'notifications'];

/** A cookie that may stand in for the Bearer header on a route a browser visits as a page, and the role it needs. */
export interface BrowserCookieAuth {
  name: string;
  role: string;
}

/** Path prefixes (whole segments) and the service owning them. */
const ROUTES: ReadonlyArray<{ prefix: string; service: ServiceName; cookie?: BrowserCookieAuth }> = [
  { prefix: '/api/v1/auth', service: 'auth' },
  { prefix: '/api/v1/me', service: 'auth' },
  { prefix: '/api/v1/admin/api-keys', service: 'auth' },
  { prefix: '/api/v1/admin/address-letters', service: 'auth' },
  { prefix: '/.well-known/jwks.json', service: 'auth' },
  // Teams (issue 18): organisations, invitations, members, audit log (auth owns them)
  { prefix: '/api/v1/orgs', service: 'auth' },
  { prefix: '/api/v1/org', service: 'auth' },
  { prefix: '/api/v1/tracking', service: 'tracking' },
  { prefix: '/api/v1/scans', service: 'tracking' },
  // Delivery management (redelivery, hold extension, …) lives with the parcels.
  { prefix: '/api/v1/parcels', service: 'tracking' },
  { prefix: '/api/v1/redeliveries', service: 'tracking' },
  { prefix: '/api/v1/delivery-instructions', service: 'tracking' },
  { prefix: '/api/v1/hold-mail', service: 'tracking' },
  // Also the label formats (`/labels/:id/pdf|zpl|png|qr`) and return labels (`/labels/:id/return`), issue 18.
  { prefix: '/api/v1/labels', service: 'pickup' },
  { prefix: '/api/v1/pickups', service: 'pickup' },
  { prefix: '/api/v1/stamps', service: 'pickup' },
  { prefix: '/api/v1/orders', service: 'pickup' },
  { prefix: '/api/v1/account', service: 'pickup' },
  { prefix: '/api/v1/receipts', service: 'pickup' },
  { prefix: '/api/v1/payments', service: 'pickup' },
  { prefix: '/api/v1/admin/orders', service: 'pickup' },
  // Batch shipping and SCAN forms (issue 18): batches live under /labels/batches (already pickup's);
  // manifests are their own prefix.
  { prefix: '/api/v1/manifests', service: 'pickup' },
  { prefix: '/api/v1/notifications', service: 'notifications' },
  { prefix: '/api/v1/support', service: 'notifications' },
  { prefix: '/api/v1/admin/sms-sink', service: 'notifications' },
  { prefix: '/api/v1/admin/queues', service: 'notifications' },
  // Webhooks (issue 18): customers' endpoints and their delivery logs; notifications delivers them.
  { prefix: '/api/v1/webhooks', service: 'notifications' },
  { prefix: QUEUE_BOARD_PATH, service: 'notifications', cookie: { name: QUEUE_BOARD_COOKIE, role: Role.Operator } },
];

/** Service-to-service routes that must never be reachable from outside. */
const NOT_EXPOSED = ['/api/v1/internal'];

/** Routes open without a token; everything else proxied needs a Bearer JWT or an X-Api-Key. */
const PUBLIC_ROUTES: ReadonlyArray<{ method: string; pattern: RegExp }> = [
  {
    method: 'POST',
    pattern: /^\/api\/v1\/auth\/(register|login|refresh|verify-email|verify-email\/resend|forgot-username)$/,
  },
  { method: 'POST', pattern: /^\/api\/v1\/auth\/password-reset\/[^/]+$/ },
  { method: 'GET', pattern: /^\/api\/v1\/tracking$/ },
  { method: 'GET', pattern: /^\/api\/v1\/tracking\/(?!watchlist$|incoming$)[^/]+$/ },
  { method: 'POST', pattern: /^\/api\/v1\/labels\/quote$/ },
  { method: 'GET', pattern: /^\/api\/v1\/stamps$/ },
  // The payment provider calls it; pickup checks the webhook's signature instead of a token.
  { method: 'POST', pattern: /^\/api\/v1\/payments\/webhook$/ },
  // Card element (issue 17): the publishable key and card-entry mode, read by the web before sign-in.
  { method: 'GET', pattern: /^\/api\/v1\/payments\/config$/ },
  { method: 'GET', pattern: /^\/\.well-known\/jwks\.json$/ },
];

export type RouteMatch =
  | { kind: 'proxy'; service: ServiceName; prefix: string; isPublic: boolean; cookie?: BrowserCookieAuth }
  | { kind: 'not-exposed' }
  | { kind: 'invalid-path' }
  | { kind: 'none' };

function underPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Paths that a server may read differently from us (dot segments, encoded slashes, backslashes). */
function isAmbiguous(path: string): boolean {
  return /(^|\/)\.{1,2}(\/|$)|%2e|%2f|%5c|\\|\/\//i.test(path);
}

/**
 * Which service owns a request path (without the query). Matching ignores case, as Express's
 * router does upstream, so `/API/V1/INTERNAL` cannot slip past the internal-route block.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const path = rawPath.toLowerCase().replace(/\/+$/, '') || '/';
  const owned = ROUTES.some((r) => underPrefix(path, r.prefix)) || NOT_EXPOSED.some((p) => underPrefix(path, p));
  if (owned && isAmbiguous(rawPath)) return { kind: 'invalid-path' };
  if (NOT_EXPOSED.some((p) => underPrefix(path, p))) return { kind: 'not-exposed' };
  const route = ROUTES.find((r) => underPrefix(path, r.prefix));
  if (!route) return { kind: 'none' };
  const upper = method.toUpperCase();
  const isPublic = PUBLIC_ROUTES.some((r) => r.method === upper && r.pattern.test(path));
  return { kind: 'proxy', service: route.service, prefix: route.prefix, isPublic, cookie: route.cookie };
}

/** Which public tracking lookup a request is (rate-limited apart: a batch costs up to 35 lookups). */
/**
 * `route` labels of tracking lookups in the gateway's `http_request_duration_seconds`: the traffic of
 * the lookup SLO (deploy/prometheus), kept apart from the rest of the tracking prefix (watchlists, scans).
 */
export const TRACKING_LOOKUP_ROUTES = {
  single: 'tracking /api/v1/tracking/:trackingNumber',
  batch: 'tracking /api/v1/tracking?numbers',
} as const;

export function trackingLookupKind(method: string, rawPath: string): 'single' | 'batch' | undefined {
  const upper = method.toUpperCase();
  if (upper !== 'GET' && upper !== 'HEAD') return undefined;
  const path = rawPath.toLowerCase().replace(/\/+$/, '') || '/';
  if (path === '/api/v1/tracking') return 'batch';
  return /^\/api\/v1\/tracking\/(?!watchlist$|incoming$)[^/]+$/.test(path) ? 'single' : undefined;
}

export function isAuthRoute(path: string): boolean {
  return underPrefix(path.toLowerCase(), '/api/v1/auth');
}
