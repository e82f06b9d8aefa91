import request from 'supertest';
import { WEB_CSP, webCsp } from '@app/platform';
import { startPortal, type Portal } from '@app/testing';

/**
 * Card element (issue 17): pickup serves how the web collects a card on the public `GET /payments/config`
 * (through the gateway), and the gateway's web policy allows Stripe.js only when a publishable key is set.
 */
const PUBLISHABLE_KEY = 'pk_test_cardElementE2e0123456789';
/** Local mode: no publishable key (the test stack sets none). */
const NO_ENV: Record<string, string> = {};

describe.each([
  { mode: 'test-methods', env: NO_ENV, publishableKey: null, csp: WEB_CSP },
  {
    mode: 'stripe',
    env: { STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY },
    publishableKey: PUBLISHABLE_KEY,
    csp: webCsp({ stripe: true }),
  },
])('GET /payments/config and the web policy: $mode', ({ mode, env, publishableKey, csp }) => {
  let portal: Portal;
  const http = () => request(portal.gatewayUrl);

  beforeAll(async () => {
    portal = await startPortal({ apps: ['gateway', 'pickup'], env });
  }, 120_000);

  afterAll(async () => {
    await portal?.stop();
  });

  it('answers the mode and key without a token', async () => {
    const res = await http().get('/api/v1/payments/config').expect(200);
    expect(res.body).toEqual({ publishableKey, mode });
  });

  it('puts the matching policy on the portal pages', async () => {
    for (const page of ['/', '/index.html', '/wallet']) {
      const res = await http().get(page).expect(200);
      expect({ page, csp: res.headers['content-security-policy'] }).toEqual({ page, csp });
    }
    if (mode === 'stripe') {
      expect(csp).toContain("script-src 'self' https://js.stripe.com;");
      expect(csp).toContain('frame-src https://js.stripe.com;');
      expect(csp).toContain("connect-src 'self' https://api.stripe.com;");
    } else {
      expect(csp).not.toContain('stripe');
    }
  });

  it('documents the route in the merged OpenAPI document', async () => {
    const doc = await http().get('/api/docs-json').expect(200);
    const op = doc.body.paths['/api/v1/payments/config']?.get;
    expect(op).toBeDefined();
    const ref: string = op.responses['200'].content['application/json'].schema.$ref;
    const schema = doc.body.components.schemas[ref.split('/').pop()!];
    expect(schema.properties.mode.enum).toEqual(['stripe', 'test-methods']);
    expect(schema.properties.publishableKey).toMatchObject({
      nullable: true,
      pattern: '^pk_(test|live)_[A-Za-z0-9]+$',
    });
  });
});
