import { ScanCodes } from '@app/contracts';
import { createUser, MailpitClient, PortalClient, startPortal, waitFor, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { authenticator } from 'otplib';
import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, launchChromium, screenshot } from './support/browser';

const OPERATOR = { username: 'portal-operator', password: 'Granite-Orchard-Lantern-5521' };
const HOME = { line1: '1600 Pennsylvania Ave NW', city: 'Washington', state: 'DC', zip: '20500' };
const RECIPIENT = { name: 'Ada Recipient', line1: '350 Fifth Avenue', city: 'New York', state: 'NY', zip: '10118' };

async function isFocused(locator: Locator): Promise<boolean> {
  // Runs in the page; this spec compiles without the DOM library, hence the cast.
  return locator.evaluate(
    (el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
  );
}

/** Waits for `success`; fails with the page's error summary instead when the API refused the action. */
async function succeeded(page: Page, success: Locator): Promise<void> {
  const alert = page.locator('.alert-error');
  await Promise.race([success.waitFor(), alert.first().waitFor()]);
  if (!(await success.isVisible())) throw new Error(`the portal showed: ${(await alert.first().textContent()) ?? ''}`);
}

/** Waits until the page's main heading is `text` (the SPA renders after its first API calls). */
async function heading(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: 15_000 });
}

describe('web portal in a browser (all apps behind the gateway, real infrastructure)', () => {
  let portal: Portal;
  let browser: Browser;
  let apiKey: string;
  const mailpit = new MailpitClient();

  beforeAll(async () => {
    portal = await startPortal({
      env: {
        PORTAL_OPERATOR_USERNAME: OPERATOR.username,
        PORTAL_OPERATOR_PASSWORD: OPERATOR.password,
        // Two browser walks sign up and log in several times from one address within a minute.
        GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '1000',
        GATEWAY_RATE_LIMIT_PER_MINUTE: '20000',
      },
      // On a machine shared by several test runs an app may take over a minute to come up.
      readyTimeoutMs: 150_000,
    });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  async function newPage(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${portal.gatewayUrl}/login`);
    await page.getByLabel('Username or email').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
  }

  it('lets the operator create a scanner API key', async () => {
    const page = await newPage(1280, 900);
    await logIn(page, OPERATOR.username, OPERATOR.password);
    await heading(page, 'Your dashboard');
    await page.goto(`${portal.gatewayUrl}/operator`);
    await heading(page, 'Operator tools');
    await expect(page.getByRole('link', { name: /Queue dashboard/ }).getAttribute('href')).resolves.toBe(
      '/admin/queues',
    );
    await page.getByLabel('Key name').fill('Sorting centre (browser test)');
    await page.getByRole('button', { name: 'Create scanner key' }).click();
    apiKey = (await page.getByTestId('api-key').textContent())?.trim() ?? '';
    expect(apiKey).toMatch(/\S+\.\S+/);
    await expectAccessible(page, 'operator');
    await screenshot(page, 'operator');

    // The queue dashboard link opens Bull Board itself: page, assets and its API all pass on the cookie.
    const pathIs = (p: string) => (r: { url(): string }) => new URL(r.url()).pathname === p;
    const boardPage = page.waitForResponse(pathIs('/admin/queues'));
    const boardApi = page.waitForResponse(pathIs('/admin/queues/api/queues'));
    await page.getByRole('link', { name: /Queue dashboard/ }).click();
    expect((await boardPage).status()).toBe(200);
    expect((await boardApi).status()).toBe(200);
    await page.getByText('email', { exact: true }).first().waitFor();
    await screenshot(page, 'queue-dashboard');
    await page.context().close();
  }, 120_000);

  it('keeps the queue dashboard from customers and from visits without the cookie', async () => {
    const api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
    const customer = await createUser(api, mailpit);
    expect((await api.post('/admin/queues/session', undefined, customer.accessToken)).status).toBe(403);
    const page = await newPage(1280, 900);
    expect((await page.goto(`${portal.gatewayUrl}/admin/queues`))?.status()).toBe(401);
    // Even a customer's valid token placed in the cookie by hand does not open it.
    await page
      .context()
      .addCookies([
        { name: 'portal_queue_board', value: customer.accessToken, url: `${portal.gatewayUrl}/admin/queues` },
      ]);
    expect((await page.goto(`${portal.gatewayUrl}/admin/queues`))?.status()).toBe(403);
    await page.context().close();
  }, 120_000);

  it('lets a customer save and remove a card on the wallet page, and an operator ship a stamp order', async () => {
    const api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
    const customer = await createUser(api, mailpit);
    const page = await newPage(1280, 900);
    await logIn(page, customer.username, customer.password);
    await heading(page, 'Your dashboard');
    // Saved cards: Stripe's test methods stand in for the card element (Stripe.js cannot load offline).
    await page.goto(`${portal.gatewayUrl}/wallet`);
    await heading(page, 'Postage wallet');
    const cards = page.getByRole('region', { name: 'Saved cards' });
    await cards.getByText('No saved cards yet.').waitFor();
    await cards.getByLabel('Card', { exact: true }).selectOption('pm_card_visa');
    await cards.getByRole('button', { name: 'Save card' }).click();
    await succeeded(page, cards.getByRole('status').filter({ hasText: 'Saved VISA ending 4242' }));
    await cards.getByTestId('saved-cards').getByText('(default)').waitFor();
    await expectAccessible(page, 'wallet with a saved card');
    // Checkout offers the saved card.
    await page.goto(`${portal.gatewayUrl}/stamps`);
    await page
      .getByLabel('Pay with')
      .getByRole('option', { name: 'Saved VISA ending 4242 (default)' })
      .waitFor({ state: 'attached' });
    await page.goto(`${portal.gatewayUrl}/wallet`);
    await heading(page, 'Postage wallet');
    await cards.getByRole('button', { name: 'Remove VISA ending 4242' }).click();
    await succeeded(page, cards.getByRole('status').filter({ hasText: 'Removed VISA ending 4242' }));
    await cards.getByText('No saved cards yet.').waitFor();
    // The orders page is for operators: a customer is sent to the dashboard.
    await page.goto(`${portal.gatewayUrl}/operator/orders`);
    await heading(page, 'Your dashboard');
    await page.context().close();

    const placed = await api.post<{ orderId: string }>(
      '/orders',
      {
        items: [{ sku: 'FOREVER-SHEET-20', quantity: 1 }],
        shippingAddress: RECIPIENT,
        payment: { method: 'card', paymentMethodId: 'pm_card_visa' },
      },
      customer.accessToken,
    );
    expect(placed.status).toBe(201);
    const operator = await newPage(1280, 900);
    await logIn(operator, OPERATOR.username, OPERATOR.password);
    await heading(operator, 'Your dashboard');
    await operator.goto(`${portal.gatewayUrl}/operator`);
    await heading(operator, 'Operator tools');
    await operator.getByRole('link', { name: 'Stamp orders to ship' }).click();
    await heading(operator, 'Stamp orders to ship');
    const orders = operator.getByTestId('orders');
    await orders.getByText(`Order ${placed.body.orderId}`).waitFor();
    await expectAccessible(operator, 'operator orders');
    await screenshot(operator, 'operator-orders');
    await operator.getByRole('button', { name: `Mark shipped: order ${placed.body.orderId}` }).click();
    const shipped = operator.getByRole('status').filter({ hasText: `Order ${placed.body.orderId} shipped` });
    await succeeded(operator, shipped);
    expect(await shipped.textContent()).toMatch(/tracking number \d{20,34}/);
    // The list is read again after the change: the order leaves the paid ones.
    await orders.getByText(`Order ${placed.body.orderId}`).waitFor({ state: 'detached' });
    // It is listed under shipped, with its tracking number, and can no longer be shipped.
    await operator.getByLabel('Show orders that are').selectOption('shipped');
    await orders.getByText(`Order ${placed.body.orderId}`).waitFor();
    await expect(
      operator.getByRole('button', { name: `Mark shipped: order ${placed.body.orderId}` }).count(),
    ).resolves.toBe(0);
    await expectAccessible(operator, 'operator shipped orders');
    await operator.context().close();
  }, 180_000);

  async function walk(page: Page, prefix: string): Promise<void> {
    const name = (n: string) => `${prefix}${n}`;
    const username = `web${Date.now().toString(36)}${prefix.replace(/\W/g, '')}`;
    const email = `${username}@example.com`;
    const password = 'Violet-Tundra-88-Parsnip-Kettle';
    const base = portal.gatewayUrl;
    const phone = prefix !== '';

    // Home: the tracking box and the quick tools.
    await page.goto(`${base}/`);
    await heading(page, 'Track a parcel');
    await expectAccessible(page, name('home'));
    await screenshot(page, name('home'));

    // Sign up, with live password feedback.
    await page.goto(`${base}/signup`);
    await heading(page, 'Create your account');
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Tester');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('password123');
    await page.getByText('Too short').waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByText(/^(Strong|Very strong)\./).waitFor();
    await page.getByLabel('Street address').fill(HOME.line1);
    await page.getByLabel('City').fill(HOME.city);
    await page.getByLabel('State').fill(HOME.state);
    await page.getByLabel('ZIP code').fill(HOME.zip);
    await expectAccessible(page, name('signup'));
    await screenshot(page, name('signup'));
    await page.getByRole('button', { name: 'Create account' }).click();

    // Verify the email with the code that Mailpit received.
    await heading(page, 'Verify your email');
    const mail = await mailpit.waitForMessage({ to: email, subject: 'verification code', timeoutMs: 30_000 });
    const code = /verification code is (\d{6,10})/.exec(await mailpit.messageText(mail.ID))?.[1];
    expect(code).toBeDefined();
    await page.getByLabel('Verification code').fill(code!);
    await page.getByRole('button', { name: 'Verify' }).click();

    // Log in.
    await heading(page, 'Log in');
    await page.getByText('Your email address is verified').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await heading(page, 'Your dashboard');

    // Nothing sensitive in browser storage or readable cookies (only the flag that a session may be
    // restored); a reload keeps the session (HttpOnly refresh cookie).
    await expect(
      page.evaluate<unknown>(
        '({ session: sessionStorage.length, cookies: document.cookie, local: JSON.stringify(localStorage) })',
      ),
    ).resolves.toEqual({ session: 0, cookies: '', local: JSON.stringify({ 'portal.signedIn': '1' }) });
    const refreshCookie = (await page.context().cookies()).find((c) => c.name === 'portal_refresh');
    expect(refreshCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    await page.reload();
    await heading(page, 'Your dashboard');

    // Buy a label and download its PDF.
    if (phone) {
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Labels' }).click();
    } else {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Labels' }).click();
    }
    await heading(page, 'Shipping labels');
    const from = page.getByRole('group', { name: 'From' });
    await from.getByLabel('Name', { exact: true }).fill('Grace Tester');
    await from.getByLabel('Street address').fill(HOME.line1);
    await from.getByLabel('City').fill(HOME.city);
    await from.getByLabel('State').fill(HOME.state);
    await from.getByLabel('ZIP code').fill(HOME.zip);
    const to = page.getByRole('group', { name: 'To' });
    await to.getByLabel('Name', { exact: true }).fill(RECIPIENT.name);
    await to.getByLabel('Street address').fill(RECIPIENT.line1);
    await to.getByLabel('City').fill(RECIPIENT.city);
    await to.getByLabel('State').fill(RECIPIENT.state);
    await to.getByLabel('ZIP code').fill(RECIPIENT.zip);
    await page.getByLabel('Weight (ounces)').fill('24');
    await page.getByRole('button', { name: 'Get prices' }).click();
    await page.getByRole('button', { name: 'Buy label' }).click();
    const bought = page.getByRole('status').filter({ hasText: 'Label bought' });
    await succeeded(page, bought);
    const trackingNumber = ((await bought.locator('strong.mono').textContent()) ?? '').trim();
    expect(trackingNumber).toMatch(/^\d{20,34}$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Download PDF of label ${trackingNumber}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`label-${trackingNumber}.pdf`);
    const pdf = fs.readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expectAccessible(page, name('labels'));
    await screenshot(page, name('labels'));

    // The wallet: top up by the test card, see the balance, the label's card payment and a receipt PDF.
    await page.goto(`${base}/wallet`);
    await heading(page, 'Postage wallet');
    await page.getByLabel('Amount').selectOption('3000');
    await page.getByRole('button', { name: 'Add money' }).click();
    await succeeded(page, page.getByRole('status').filter({ hasText: 'Added $30.00' }));
    await page.getByText('Balance: $30.00').waitFor();
    const payments = page.getByRole('region', { name: 'Payments and receipts' });
    await payments.getByText(`Shipping label ${trackingNumber}`).waitFor();
    await payments
      .getByText(/VISA ending 4242/)
      .first()
      .waitFor();
    const [receipt] = await Promise.all([
      page.waitForEvent('download'),
      payments
        .getByRole('button', { name: new RegExp(`^Download receipt for Shipping label ${trackingNumber} `) })
        .click(),
    ]);
    expect(receipt.suggestedFilename()).toMatch(/^receipt-label_charge-[\w-]+\.pdf$/);
    expect(
      fs
        .readFileSync(await receipt.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    await expectAccessible(page, name('wallet'));
    if (!phone) await screenshot(page, name('wallet'));

    // Track it: created, not yet scanned.
    await page.goto(`${base}/`);
    await page.getByLabel('Tracking numbers').fill(`${trackingNumber}\n9400100000000000000000`);
    await page.getByRole('button', { name: 'Track', exact: true }).click();
    await heading(page, 'Tracking');
    const result = page.getByRole('article', { name: trackingNumber });
    await result.getByText('Pre shipment').first().waitFor();
    await expectAccessible(page, name('tracking'));

    // Schedule a pickup on a day the picker offers, then cancel it.
    await page.goto(`${base}/pickups`);
    await heading(page, 'Carrier pickups');
    const pickupAddress = page.getByRole('group', { name: 'Pickup address' });
    await pickupAddress.getByLabel('Name', { exact: true }).fill('Grace Tester');
    await pickupAddress.getByLabel('Street address').fill(HOME.line1);
    await pickupAddress.getByLabel('City').fill(HOME.city);
    await pickupAddress.getByLabel('State').fill(HOME.state);
    await pickupAddress.getByLabel('ZIP code').fill(HOME.zip);
    // The date is a calendar of radio buttons: the days without pickups are there, disabled.
    const calendar = page.getByRole('group', { name: 'Pickup date' });
    const offered = calendar.getByRole('radio', { disabled: false });
    const offeredNames = await offered.evaluateAll((days) =>
      days.map((d) => (d as unknown as { getAttribute(n: string): string }).getAttribute('aria-label')),
    );
    expect(offeredNames.length).toBeGreaterThan(5);
    expect(offeredNames.some((d) => d.startsWith('Sun'))).toBe(false);
    await offered.nth(1).check();
    await expect(page.getByLabel('Email for the confirmation').inputValue()).resolves.toBe(email);
    await page.getByRole('button', { name: 'Schedule pickup' }).click();
    const scheduled = page.getByRole('status').filter({ hasText: 'Pickup scheduled for' });
    await succeeded(page, scheduled);
    const confirmation = /Confirmation number (\S+)\./.exec((await scheduled.textContent()) ?? '')?.[1];
    expect(confirmation).toBeDefined();
    await expectAccessible(page, name('pickups'));
    await screenshot(page, name('pickups'));
    // Change more than the date: location, counts and instructions. Focus moves into the form and,
    // once saved, to the list, since the Change button is replaced.
    await page.getByRole('button', { name: `Change pickup ${confirmation}` }).click();
    const changeForm = page.getByRole('form', { name: `Change pickup ${confirmation}` });
    await expect(
      isFocused(changeForm.getByRole('group', { name: 'New date' }).getByRole('radio', { checked: true })),
    ).resolves.toBe(true);
    await changeForm.getByLabel('Where will the packages be?').selectOption('side_door');
    await changeForm.getByLabel('Priority Mail', { exact: true }).fill('3');
    await changeForm.getByLabel('Instructions for the carrier').fill('Gate code 1234');
    await expectAccessible(page, name('pickup-change'));
    await changeForm.getByRole('button', { name: 'Save changes' }).click();
    await succeeded(page, page.getByRole('status').filter({ hasText: `Pickup ${confirmation} changed.` }));
    const changed = page.getByRole('listitem').filter({ hasText: confirmation });
    await changed.getByText('Side door').waitFor();
    await changed.getByText(/3 packages .* “Gate code 1234”/).waitFor();
    await expect(isFocused(page.getByRole('heading', { name: 'Your pickups' }))).resolves.toBe(true);
    await page.getByRole('button', { name: `Cancel pickup ${confirmation}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Pickup ${confirmation} cancelled.` })
      .waitFor();
    await page.getByText('Cancelled', { exact: true }).first().waitFor();

    // A scanner reports the parcel at the post office: the inbox shows the notice.
    const scan = await fetch(`${base}/api/v1/scans`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': apiKey },
      body: JSON.stringify({
        events: [
          {
            eventId: randomUUID(),
            trackingNumber,
            code: ScanCodes.AvailableForPickup,
            occurredAt: new Date().toISOString(),
            facility: { name: 'NEW YORK MAIN POST OFFICE', city: 'NEW YORK', state: 'NY', zip: '10001' },
          },
        ],
      }),
    });
    expect(scan.status).toBe(202);
    await expect(scan.json()).resolves.toMatchObject({ accepted: 1, rejected: [] });
    await waitFor(
      async () => {
        await page.goto(`${base}/inbox`);
        await heading(page, 'Inbox');
        await page.getByRole('status').filter({ hasText: 'unread' }).waitFor();
        return (await page.getByRole('heading', { level: 2, name: /available for pickup/i }).count()) > 0;
      },
      { timeoutMs: 60_000, intervalMs: 1000, description: `the "available for pickup" notice for ${trackingNumber}` },
    );
    await expectAccessible(page, name('inbox'));
    await screenshot(page, name('inbox'));

    // The dashboard counts it as unread and the tracking page shows the new status.
    await page.goto(`${base}/dashboard`);
    await heading(page, 'Your dashboard');
    await page.getByRole('heading', { level: 2, name: /Unread notices \([1-9]\d*\)/ }).waitFor();
    await page.getByRole('link', { name: trackingNumber }).first().waitFor();
    await expectAccessible(page, name('dashboard'));
    await screenshot(page, name('dashboard'));
    await page.goto(`${base}/track/${trackingNumber}`);
    await page
      .getByRole('article', { name: trackingNumber })
      .getByText(/Available for pickup/)
      .first()
      .waitFor();
    await screenshot(page, name('tracking'));

    // The other signed-in pages render without errors and pass axe.
    for (const [route, title, shotName] of [
      ['/stamps', 'Stamps store', 'stamps'],
      ['/preferences', 'Notification preferences', 'preferences'],
      ['/support', 'Customer support', 'support'],
      ['/profile', 'Profile and security', 'profile'],
    ] as const) {
      await page.goto(`${base}${route}`);
      await heading(page, title);
      await page
        .getByRole('status')
        .filter({ hasText: /^Loading/ })
        .first()
        .waitFor({ state: 'detached' });
      await expect(page.locator('.alert-error').count()).resolves.toBe(0);
      await expectAccessible(page, name(shotName));
      if (!phone) await screenshot(page, name(shotName));
    }

    // The profile page lists where the account is logged in: here, this browser alone.
    const sessions = page.getByRole('region', { name: 'Sessions' });
    await sessions.getByText('This device').waitFor();
    await expect(sessions.getByRole('listitem').count()).resolves.toBe(1);

    if (!phone) {
      // A new phone number asks for the password again: a stolen session alone must not change it.
      const profileForm = page.getByRole('form', { name: 'Profile' });
      await profileForm.getByLabel('Mobile phone').fill('+12025550187');
      await profileForm.getByLabel('Current password').fill(password);
      await profileForm.getByRole('button', { name: 'Save profile' }).click();
      await succeeded(page, page.getByRole('form', { name: 'Profile' }).getByText('Not verified yet'));

      // Two-step verification: turning it on asks for the password, turning it off also for a code.
      const securityPanel = page.getByRole('region', { name: 'Security' });
      await securityPanel.getByRole('button', { name: 'Set up two-step verification' }).click();
      const secret = (await securityPanel.locator('code.secret').textContent()) ?? '';
      const turnOn = page.getByRole('form', { name: 'Confirm two-step verification' });
      await turnOn.getByLabel('Code from the app').fill(authenticator.generate(secret));
      await turnOn.getByLabel('Current password').fill(password);
      await turnOn.getByRole('button', { name: 'Turn on' }).click();
      await succeeded(page, securityPanel.getByText('Keep these recovery codes somewhere safe'));
      const turnOff = page.getByRole('form', { name: 'Turn off two-step verification' });
      await turnOff.getByLabel('Current password').fill(password);
      await turnOff
        .getByLabel('Code from the app, or a recovery code')
        .fill(authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret));
      await turnOff.getByRole('button', { name: 'Turn off' }).click();
      await succeeded(page, securityPanel.getByText('Two-step verification is off.'));
    }

    // A wrong current password is an error on the page, not a lost session; a right one signs out
    // everywhere, so the portal asks for the new password with the reason.
    const security = page.getByRole('form', { name: 'Change password' });
    const newPassword = `${password}-Renewed`;
    await security.getByLabel('Current password').fill('not-my-password-at-all');
    await security.getByLabel('New password').fill(newPassword);
    await security.getByRole('button', { name: 'Change password' }).click();
    await page.locator('.alert-error').filter({ hasText: 'current password is wrong' }).waitFor();
    await page.getByRole('button', { name: `Log out ${username}`, includeHidden: true }).waitFor({ state: 'attached' });
    await security.getByLabel('Current password').fill(password);
    await security.getByRole('button', { name: 'Change password' }).click();
    await heading(page, 'Log in');
    await page.getByText('Your password was changed, and every session was signed out').waitFor();
    await expect(page.getByLabel('Username or email').inputValue()).resolves.toBe(username);
    await page.getByLabel('Password', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await heading(page, 'Your dashboard');
  }

  it('walks a new customer from sign-up to the pickup notice on a desktop screen', async () => {
    expect(apiKey).toBeDefined();
    const page = await newPage(1280, 900);
    await walk(page, '');
    await page.context().close();
  }, 300_000);

  it('walks the same way at a phone width (375 px)', async () => {
    expect(apiKey).toBeDefined();
    const page = await newPage(375, 812);
    await walk(page, 'phone-');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  }, 300_000);
});
