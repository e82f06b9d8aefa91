import { isAuthRoute, matchRoute, trackingLookupKind } from './route-table';

describe('matchRoute', () => {
  it.each([
    ['POST', '/api/v1/auth/login', 'auth'],
    ['GET', '/api/v1/me', 'auth'],
    ['PATCH', '/api/v1/me/addresses/a1', 'auth'],
    ['POST', '/api/v1/admin/api-keys', 'auth'],
    ['GET', '/api/v1/admin/address-letters', 'auth'],
    ['GET', '/.well-known/jwks.json', 'auth'],
    ['GET', '/api/v1/tracking/9400100000000000000000', 'tracking'],
    ['POST', '/api/v1/scans', 'tracking'],
    ['POST', '/api/v1/labels', 'pickup'],
    ['DELETE', '/api/v1/pickups/P1', 'pickup'],
    ['GET', '/api/v1/stamps', 'pickup'],
    ['POST', '/api/v1/orders', 'pickup'],
    ['GET', '/api/v1/account/balance', 'pickup'],
    ['POST', '/api/v1/account/balance/top-ups', 'pickup'],
    ['GET', '/api/v1/receipts', 'pickup'],
    ['POST', '/api/v1/payments/webhook', 'pickup'],
    ['POST', '/api/v1/admin/orders/o1/ship', 'pickup'],
    // Batch shipping and SCAN forms (issue 18)
    ['POST', '/api/v1/labels/batches', 'pickup'],
    ['GET', '/api/v1/labels/batches/template.csv', 'pickup'],
    ['POST', '/api/v1/manifests', 'pickup'],
    ['GET', '/api/v1/manifests/9275090000000100000012/pdf', 'pickup'],
    ['GET', '/api/v1/notifications', 'notifications'],
    ['POST', '/api/v1/support/cases', 'notifications'],
    ['GET', '/api/v1/admin/sms-sink', 'notifications'],
    ['GET', '/admin/queues/email', 'notifications'],
    ['POST', '/api/v1/admin/queues/session', 'notifications'],
    // Webhooks (issue 18)
    ['POST', '/api/v1/webhooks/endpoints', 'notifications'],
    ['GET', '/api/v1/webhooks/endpoints/e1/deliveries', 'notifications'],
    // Teams (issue 18)
    ['POST', '/api/v1/orgs', 'auth'],
    ['POST', '/api/v1/orgs/invites/accept', 'auth'],
    ['GET', '/api/v1/org/audit', 'auth'],
    ['PATCH', '/api/v1/org/members/usr_1', 'auth'],
    ['POST', '/api/v1/auth/switch', 'auth'],
  ])('routes %s %s to %s', (method, path, service) => {
    expect(matchRoute(method, path)).toMatchObject({ kind: 'proxy', service });
  });

  // Label formats and return labels (issue 18): pickup's, behind a token, under the `/labels` prefix.
  it.each([
    ['GET', '/api/v1/labels/l1/pdf'],
    ['GET', '/api/v1/labels/l1/zpl'],
    ['GET', '/api/v1/labels/l1/png'],
    ['GET', '/api/v1/labels/l1/qr'],
    ['POST', '/api/v1/labels/l1/return'],
  ])('routes %s %s to pickup, behind a token', (method, path) => {
    expect(matchRoute(method, path)).toMatchObject({ kind: 'proxy', service: 'pickup', isPublic: false });
  });

  it('lets the queue board cookie stand in for the Bearer header on the board alone', () => {
    expect(matchRoute('GET', '/admin/queues/api/queues')).toMatchObject({
      cookie: { name: 'portal_queue_board', role: 'operator' },
    });
    expect(matchRoute('POST', '/api/v1/admin/queues/session')).toMatchObject({ cookie: undefined });
    expect(matchRoute('GET', '/api/v1/me')).toMatchObject({ cookie: undefined });
  });

  it('keeps every webhook route behind a token', () => {
    expect(matchRoute('GET', '/api/v1/webhooks/endpoints')).toMatchObject({ kind: 'proxy', isPublic: false });
    expect(matchRoute('POST', '/api/v1/webhooks/endpoints')).toMatchObject({ kind: 'proxy', isPublic: false });
  });

  it('does not match a longer word sharing the prefix', () => {
    expect(matchRoute('GET', '/api/v1/meow')).toEqual({ kind: 'none' });
    expect(matchRoute('GET', '/api/v1/organisations')).toEqual({ kind: 'none' });
  });

  it('never exposes internal routes, whatever the case', () => {
    expect(matchRoute('POST', '/api/v1/internal/api-keys/token')).toEqual({ kind: 'not-exposed' });
    expect(matchRoute('POST', '/API/V1/Internal/api-keys/token')).toEqual({ kind: 'not-exposed' });
  });

  it('refuses dot segments and encoded slashes that could reach another route upstream', () => {
    expect(matchRoute('POST', '/api/v1/auth/../internal/api-keys/token')).toEqual({ kind: 'invalid-path' });
    expect(matchRoute('POST', '/api/v1/auth/%2e%2e/internal')).toEqual({ kind: 'invalid-path' });
  });

  it.each([
    ['POST', '/api/v1/auth/register'],
    ['POST', '/api/v1/auth/login'],
    ['POST', '/api/v1/auth/refresh'],
    ['POST', '/api/v1/auth/verify-email'],
    ['POST', '/api/v1/auth/verify-email/resend'],
    ['POST', '/api/v1/auth/forgot-username'],
    ['POST', '/api/v1/auth/password-reset/request'],
    ['POST', '/api/v1/auth/password-reset/confirm'],
    ['GET', '/api/v1/tracking/9400100000000000000000'],
    ['GET', '/api/v1/tracking'],
    ['POST', '/api/v1/labels/quote'],
    ['GET', '/api/v1/stamps'],
    ['POST', '/api/v1/payments/webhook'],
    // Card element (issue 17): the publishable key, read before sign-in.
    ['GET', '/api/v1/payments/config'],
    ['GET', '/.well-known/jwks.json'],
  ])('treats %s %s as public', (method, path) => {
    expect(matchRoute(method, path)).toMatchObject({ kind: 'proxy', isPublic: true });
  });

  it.each([
    ['POST', '/api/v1/auth/logout'],
    ['GET', '/api/v1/tracking/watchlist'],
    ['GET', '/api/v1/tracking/incoming'],
    ['POST', '/api/v1/labels'],
    ['POST', '/api/v1/stamps'],
    ['POST', '/api/v1/scans'],
    ['GET', '/api/v1/me'],
    ['GET', '/api/v1/account/balance'],
    ['POST', '/api/v1/account/balance/top-ups'],
    ['GET', '/api/v1/payments/webhook'],
    ['POST', '/api/v1/payments/config'],
    ['GET', '/api/v1/payments/config/x'],
    ['GET', '/api/v1/receipts'],
    // Batch shipping and SCAN forms (issue 18)
    ['POST', '/api/v1/labels/batches'],
    ['GET', '/api/v1/labels/batches/template.csv'],
    ['POST', '/api/v1/manifests'],
    ['GET', '/api/v1/manifests'],
  ])('requires a token for %s %s', (method, path) => {
    expect(matchRoute(method, path)).toMatchObject({ kind: 'proxy', isPublic: false });
  });

  it('recognises auth routes for the stricter rate limit', () => {
    expect(isAuthRoute('/api/v1/auth/login')).toBe(true);
    expect(isAuthRoute('/api/v1/authx')).toBe(false);
  });
});

describe('trackingLookupKind', () => {
  it.each([
    ['GET', '/api/v1/tracking', 'batch'],
    ['GET', '/API/V1/Tracking/', 'batch'],
    ['HEAD', '/api/v1/tracking', 'batch'],
    ['GET', '/api/v1/tracking/9400100000000000000000', 'single'],
    ['GET', '/api/v1/TRACKING/9400100000000000000000/', 'single'],
    ['GET', '/api/v1/tracking/watchlist', undefined],
    ['GET', '/api/v1/tracking/incoming', undefined],
    ['POST', '/api/v1/tracking/watchlist', undefined],
    ['DELETE', '/api/v1/tracking/watchlist/9400100000000000000000', undefined],
    ['GET', '/api/v1/labels', undefined],
  ])('calls %s %s a %s lookup', (method, path, kind) => {
    expect(trackingLookupKind(method, path)).toBe(kind);
  });
});
