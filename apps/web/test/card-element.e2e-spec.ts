import { createUser, MailpitClient, PortalClient, startPortal, type Portal } from '@app/testing';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';

/** Stripe.js as @stripe/stripe-js injects it (`/v3/` or a release train's `/<train>/stripe.js`). */
const STRIPE_JS = /^https:\/\/js\.stripe\.com\/(v3\/?|[a-z]+\/stripe\.js)(\?.*)?$/;

/**
 * Card element (issue 17) in a browser, with a publishable key configured: the wallet's "Save a card"
 * loads Stripe.js (the real one, from js.stripe.com). This machine has no internet, so the load is
 * attempted (Chromium's request log), fails on the network (not on the policy), and the page says the
 * card form could not load, with a way to try again. Without a key, portal.e2e-spec saves a test card.
 */
describe('wallet card element with a Stripe publishable key (browser)', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal({
      apps: ['gateway', 'auth', 'pickup', 'notifications'],
      env: { STRIPE_PUBLISHABLE_KEY: 'pk_test_cardElementBrowser0123456789' },
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  async function signedIn(): Promise<Page> {
    const customer = await createUser(new PortalClient(`${portal.gatewayUrl}/api/v1`), new MailpitClient());
    const page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${portal.gatewayUrl}/login`);
    await page.getByLabel('Username or email').fill(customer.username);
    await page.getByLabel('Password', { exact: true }).fill(customer.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Your dashboard' }).waitFor();
    return page;
  }

  it('loads Stripe.js only on the wallet, and says so when it cannot load', async () => {
    const page = await signedIn();
    const stripeRequests: string[] = [];
    const failed: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith('https://js.stripe.com/')) stripeRequests.push(r.url());
    });
    page.on('requestfailed', (r) => {
      if (r.url().startsWith('https://js.stripe.com/')) failed.push(r.failure()?.errorText ?? 'unknown');
    });
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(
      `document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));`,
    );
    // The dashboard (first page) does not load it: only the card form does.
    expect(stripeRequests).toEqual([]);

    await page.goto(`${portal.gatewayUrl}/wallet`);
    await page.getByRole('heading', { level: 1, name: 'Postage wallet' }).waitFor();
    const cards = page.getByRole('region', { name: 'Saved cards' });
    const failure = cards.getByTestId('card-form-failed');
    await failure.waitFor();
    expect(await failure.textContent()).toContain('The card form could not load.');
    expect(stripeRequests.length).toBeGreaterThanOrEqual(1);
    expect(stripeRequests.every((u) => STRIPE_JS.test(u))).toBe(true);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    // The policy allowed it: the network (no internet here), not the CSP, stopped it.
    expect(failed).not.toContain('csp');
    expect(violations).toEqual([]);
    // No test-method picker in this mode, and nothing to submit while the card form is missing.
    await expect(cards.getByLabel('Card', { exact: true }).locator('option').count()).resolves.toBe(0);
    expect(await cards.getByRole('button', { name: 'Save card' }).isDisabled()).toBe(true);

    // "Try again" asks for Stripe.js once more.
    const before = stripeRequests.length;
    await failure.getByRole('button', { name: 'Try again' }).click();
    await failure.waitFor();
    const deadline = Date.now() + 20_000;
    while (stripeRequests.length === before && Date.now() < deadline) await page.waitForTimeout(100);
    expect(stripeRequests.length).toBeGreaterThan(before);
    await page.context().close();
  }, 120_000);
});
