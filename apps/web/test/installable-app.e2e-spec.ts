import {
  createUser,
  MailpitClient,
  PortalClient,
  startPortal,
  waitFor,
  type Portal,
  type TestUser,
} from '@app/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './support/browser';

/** The cache the service worker keeps the watchlist in (apps/web/src/offline/last-known.ts). */
const LAST_KNOWN_CACHE = 'portal-last-known-v1';
const TRACKING_NUMBER = 'EA123456785US';

/**
 * The installable app (issue 20) in Debian's Chromium against the real stack: Chrome finds the manifest and
 * the service worker and has no installability error; "My parcels" opens offline with the statuses kept on the
 * device and their last-updated time; logging out deletes them.
 */
describe('installable app: manifest, service worker, offline "My parcels" (browser)', () => {
  let portal: Portal;
  let context: BrowserContext;
  let profile: string;
  let user: TestUser;

  beforeAll(async () => {
    // Four apps starting at once on a loaded machine can take longer than the default minute.
    portal = await startPortal({ apps: ['gateway', 'auth', 'tracking', 'notifications'], readyTimeoutMs: 150_000 });
    user = await createUser(new PortalClient(`${portal.gatewayUrl}/api/v1`), new MailpitClient());
    const watched = await new PortalClient(`${portal.gatewayUrl}/api/v1`).call('POST', '/tracking/watchlist', {
      body: { trackingNumber: TRACKING_NUMBER, nickname: 'Birthday present' },
      token: user.accessToken,
    });
    expect(watched.status).toBeLessThan(300);
    // A persistent profile: Chrome reports an incognito context (every newContext()) as not installable.
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pwa-profile-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await portal?.stop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  // Page-side expressions as strings: this project's type-check has no DOM library.
  /** The tracking numbers of the watchlist the service worker kept, or null. */
  const keptTrackingNumbers = (page: Page) =>
    page.evaluate<string[] | null>(`(async () => {
      if (!(await caches.has('${LAST_KNOWN_CACHE}'))) return null;
      const res = await (await caches.open('${LAST_KNOWN_CACHE}')).match('/api/v1/tracking/watchlist?limit=50');
      return res ? (await res.json()).items.map((i) => i.trackingNumber) : null;
    })()`);
  const cacheExists = (page: Page) => page.evaluate<boolean>(`caches.has('${LAST_KNOWN_CACHE}')`);
  // Polled from here: waitForFunction would evaluate its string inside the page, which the portal's CSP forbids.
  const controlled = (page: Page) =>
    waitFor(() => page.evaluate<boolean>('navigator.serviceWorker.controller !== null'), {
      timeoutMs: 30_000,
      description: 'the service worker controlling the page',
    });

  it('is installable: the manifest parses, the service worker controls the page, Chrome lists no installability error', async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${portal.gatewayUrl}/track`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
    expect(manifest.url).toBe(`${portal.gatewayUrl}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    const installability = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installability.installabilityErrors).toEqual([]);
    await page.close();
  });

  it('opens "My parcels" offline with the last statuses and their time, and forgets them at logout', async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${portal.gatewayUrl}/login?next=%2Fparcels`);
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'My parcels' }).waitFor();
    await controlled(page);
    // Through the service worker now: a reload fetches the watchlist, and the worker keeps its answer.
    await page.reload();
    await page.getByRole('link', { name: TRACKING_NUMBER }).waitFor();
    expect(
      await waitFor(() => keptTrackingNumbers(page), { timeoutMs: 10_000, description: 'the kept watchlist' }),
    ).toEqual([TRACKING_NUMBER]);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'My parcels' }).waitFor();
    const note = page.getByRole('status').filter({ hasText: 'No connection' });
    await note.waitFor();
    expect(await note.textContent()).toMatch(/Last updated .*\d{4}.*\d{1,2}:\d{2}/);
    await page.getByText(TRACKING_NUMBER).waitFor();
    await page.getByText('Birthday present').waitFor();
    await page.getByText('Not yet known').waitFor();

    await context.setOffline(false);
    await page.reload();
    await page.getByRole('button', { name: /Log out/ }).click();
    await page.getByRole('link', { name: 'Log in' }).first().waitFor();
    await waitFor(async () => !(await cacheExists(page)), { timeoutMs: 10_000, description: 'the kept data deleted' });

    // Offline again: the app still opens (the shell is precached), but nothing personal is left to show.
    await context.setOffline(true);
    await page.goto(`${portal.gatewayUrl}/parcels`);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(await page.getByText(TRACKING_NUMBER).count()).toBe(0);
    await context.setOffline(false);
    await page.close();
  });
});
