import { WEB_CSP, webCsp } from '@app/platform';
import { startPortal, type Portal } from '@app/testing';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';

/**
 * The pages the gateway serves work under their Content-Security-Policy in a real browser: Swagger UI
 * (which needs its inline styles) and the web portal, with no policy violation reported.
 */
describe('Content-Security-Policy in a browser (gateway and auth)', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    // The gateway and auth: Swagger UI then shows auth's operations in the merged document.
    portal = await startPortal({ apps: ['gateway', 'auth'] });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  /** Opens `path` and collects every CSP violation the page reports. */
  async function open(path: string): Promise<{ page: Page; violations: string[]; csp: string | undefined }> {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(
      `document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));`,
    );
    const res = await page.goto(`${portal.gatewayUrl}${path}`);
    expect(res?.status()).toBe(200);
    return { page, violations, csp: (await res?.allHeaders())?.['content-security-policy'] };
  }

  it('renders Swagger UI under its policy', async () => {
    const { page, violations, csp } = await open('/api/docs');
    expect(csp).toContain("script-src 'self'");
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 20_000 });
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 20_000 });
    // Styles applied: the UI's stylesheet and inline styles both took effect.
    const display = await page.locator('.swagger-ui .opblock').first().evaluate('(el) => getComputedStyle(el).display');
    expect(display).not.toBe('inline');
    expect(violations).toEqual([]);
    await page.close();
  });

  it.each(['/', '/index.html'])('renders the web portal at %s under its policy', async (path) => {
    const { page, violations, csp } = await open(path);
    expect(csp).toContain("script-src 'self'");
    await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 20_000 });
    expect(violations).toEqual([]);
    await page.close();
  });

  // Card element (issue 17): without a publishable key the policy is today's, and Stripe.js is refused.
  it('refuses Stripe.js when no publishable key is configured', async () => {
    const { page, violations, csp } = await open('/');
    expect(csp).toBe(WEB_CSP);
    await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 20_000 });
    const stripeRequests = watchStripeRequests(page);
    await tryStripeScript(page);
    expect(violations.some((v) => /script-src.*https:\/\/js\.stripe\.com/.test(v))).toBe(true);
    expect(stripeRequests.failures).toEqual(['csp']);
    await page.close();
  });
});

/**
 * Chromium's request log towards Stripe: every request the page starts, and why each failed (the policy
 * reports `csp`; offline, an allowed one fails on the network instead).
 */
function watchStripeRequests(page: Page): { urls: string[]; failures: string[] } {
  const log = { urls: [] as string[], failures: [] as string[] };
  const isStripe = (url: string) => /^https:\/\/(js|api)\.stripe\.com\//.test(url);
  page.on('request', (r) => {
    if (isStripe(r.url())) log.urls.push(r.url());
  });
  page.on('requestfailed', (r) => {
    if (isStripe(r.url())) log.failures.push(r.failure()?.errorText ?? 'unknown');
  });
  return log;
}

/**
 * Adds Stripe.js's script tag the way loadStripe does and waits for it to settle. This machine has no
 * internet, so it fails either way: by the policy (a violation, no request) or by the network (a request).
 */
async function tryStripeScript(page: Page): Promise<void> {
  await page.evaluate(`new Promise((resolve) => {
    const s = document.createElement('script');
    s.src = 'https://js.stripe.com/v3/';
    s.onerror = s.onload = () => resolve(undefined);
    document.head.appendChild(s);
  })`);
}

describe('Content-Security-Policy in a browser with a Stripe publishable key (card element, issue 17)', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal({
      apps: ['gateway', 'auth'],
      env: { STRIPE_PUBLISHABLE_KEY: 'pk_test_cspE2e0123456789' },
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('renders the web portal under the Stripe policy and lets Stripe.js load', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(
      `document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));`,
    );
    const res = await page.goto(`${portal.gatewayUrl}/`);
    expect(res?.status()).toBe(200);
    expect((await res?.allHeaders())?.['content-security-policy']).toBe(webCsp({ stripe: true }));
    await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 20_000 });
    const stripeRequests = watchStripeRequests(page);
    await tryStripeScript(page);
    // Attempted (and failed offline), not refused by the policy.
    expect(stripeRequests.urls).toContain('https://js.stripe.com/v3/');
    expect(stripeRequests.failures).toHaveLength(1);
    expect(stripeRequests.failures[0]).not.toBe('csp');
    expect(violations).toEqual([]);
    await page.close();
  });
});
