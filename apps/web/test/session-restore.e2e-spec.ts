import { createUser, MailpitClient, PortalClient, startPortal, type Portal } from '@app/testing';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';

/**
 * A page load asks to restore a session only when one may exist (a visitor's load used to send a
 * refresh and get a 400, an error in every visitor's console), and a signed-in reload never renders
 * as signed out.
 */
describe('restoring a session on page load (browser)', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal({ apps: ['gateway', 'auth', 'pickup', 'notifications'] });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  /** A page that records the API calls it makes and the errors its console shows. */
  async function watchedPage(): Promise<{ page: Page; calls: string[]; errors: string[] }> {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(20_000);
    const calls: string[] = [];
    const errors: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname.startsWith('/api/')) calls.push(`${req.method()} ${url.pathname}`);
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    return { page, calls, errors };
  }

  it("sends no refresh for a visitor who never signed in, and shows no error in the browser's console", async () => {
    const { page, calls, errors } = await watchedPage();
    await page.goto(`${portal.gatewayUrl}/labels/quote`);
    await page.getByRole('heading', { level: 1, name: 'Compare shipping prices' }).waitFor();
    await page.goto(`${portal.gatewayUrl}/`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(calls.filter((c) => c.includes('/auth/refresh'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('restores a signed-in session on reload, offers buying on the prices page, and stops asking after logout', async () => {
    const user = await createUser(new PortalClient(`${portal.gatewayUrl}/api/v1`), new MailpitClient());
    const { page, calls } = await watchedPage();
    await page.goto(`${portal.gatewayUrl}/login`);
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Your dashboard' }).waitFor();

    const refreshed = page.waitForRequest((req) => req.url().endsWith('/api/v1/auth/refresh'));
    await page.goto(`${portal.gatewayUrl}/labels/quote`);
    await refreshed;
    await page.getByRole('button', { name: /Log out/ }).waitFor();
    await page.getByLabel('From ZIP code').fill('10001');
    await page.getByLabel('To ZIP code').fill('94105');
    await page.getByRole('button', { name: 'Get prices' }).click();
    await page.getByRole('link', { name: 'Buy and print a label' }).waitFor();
    expect(await page.getByText('Log in to buy and print a label').count()).toBe(0);

    await page.getByRole('button', { name: /Log out/ }).click();
    await page.getByRole('link', { name: 'Log in' }).first().waitFor();
    calls.length = 0;
    await page.reload();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(calls.filter((c) => c.includes('/auth/refresh'))).toEqual([]);
  });
});
