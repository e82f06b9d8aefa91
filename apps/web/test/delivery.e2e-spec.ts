import { createAddress, createLabel, createUser, waitFor, type TestUser } from '@app/testing';
import type { Browser, Page } from 'playwright-core';
import {
  postScans,
  scanEvent,
  scannerKey,
  startFlow,
  verifyAddressByLetter,
  type Flow,
} from '../../gateway/test/flows/flow-helpers';
import { expectAccessible, launchChromium, screenshot } from './support/browser';

jest.setTimeout(300_000);

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

interface Options {
  actions: { redelivery: { allowed: boolean; dates?: string[] } };
}

describe('delivery management in a browser (redelivery, intercept, Hold Mail; real stack)', () => {
  let flow: Flow;
  let browser: Browser;
  let scanner: string;
  let serial = 0;

  beforeAll(async () => {
    flow = await startFlow();
    scanner = await scannerKey(flow.api);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await flow?.portal.stop();
  });

  /** A recipient with a verified address of their own, and a shipper's parcel to it after a failed delivery attempt. */
  async function attemptedParcel(): Promise<{ recipient: TestUser; shipper: TestUser; tn: string; dates: string[] }> {
    const { api, mailpit } = flow;
    const to = {
      name: 'ADA LOVELACE',
      line1: `${100 + ++serial} Delivery Web Rd`,
      city: 'DENVER',
      state: 'CO',
      zip: '80202',
    };
    const [recipient, shipper] = await Promise.all([createUser(api, mailpit), createUser(api, mailpit)]);
    const address = await createAddress(api, recipient.accessToken, to);
    await verifyAddressByLetter(api, recipient.accessToken, address.id);
    const tn = (await createLabel(api, shipper.accessToken, { to })).trackingNumber;
    await waitFor(async () => (await api.get(`/parcels/${tn}/options`, recipient.accessToken)).status === 200, {
      timeoutMs: 30_000,
      description: 'the recipient may act on the parcel',
    });
    const now = Date.now();
    const scans = [
      scanEvent(tn, 'out_for_delivery', new Date(now - 2_000)),
      scanEvent(tn, 'delivery_attempted', new Date(now - 1_000)),
    ];
    expect((await postScans(api, scanner, scans)).body.accepted).toBe(2);
    let dates: string[] = [];
    await waitFor(
      async () => {
        const res = await api.get<Options>(`/parcels/${tn}/options`, recipient.accessToken);
        dates = res.body.actions?.redelivery.dates ?? [];
        return res.body.actions?.redelivery.allowed === true;
      },
      { timeoutMs: 30_000, description: 'a redelivery offered after the attempt' },
    );
    return { recipient, shipper, tn, dates };
  }

  async function newPage(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function logIn(page: Page, user: TestUser): Promise<void> {
    await page.goto(`${flow.portal.gatewayUrl}/login`);
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Your dashboard' }).waitFor({ timeout: 15_000 });
  }

  for (const viewport of VIEWPORTS) {
    it(`walks a redelivery and a Hold Mail at ${viewport.name} width, axe clean`, async () => {
      const { recipient, shipper, tn, dates } = await attemptedParcel();
      const page = await newPage(viewport.width, viewport.height);
      await logIn(page, recipient);

      // The tracking page offers the recipient the actions `options` allows, and only the allowed days.
      await page.goto(`${flow.portal.gatewayUrl}/track/${tn}`);
      await page.getByRole('heading', { name: 'Manage this delivery' }).waitFor();
      const picker = page.getByLabel('Redelivery date');
      const offered = await picker
        .locator('option')
        .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
      expect(offered).toEqual(dates);
      expect(offered).toHaveLength(10);
      // Not the shipper's action; and no hold extension before the parcel is available for pickup.
      await expect(page.getByRole('button', { name: 'Request intercept' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Extend hold' }).count()).resolves.toBe(0);
      // The public facts show how long the post office keeps the parcel.
      await page.getByText('Held at the post office until').waitFor();
      await expectAccessible(page, `track with actions (${viewport.name})`);

      await picker.selectOption(dates[1]);
      await page.getByLabel('Where to leave it').selectOption('side_door');
      await page.getByLabel('Instructions for the carrier').fill('Behind the blue gate');
      await page.getByLabel('Contact email').fill(recipient.email);
      await page.getByRole('button', { name: 'Schedule redelivery' }).click();
      const booked = page.getByText(/Redelivery booked for .*Confirmation number (RD\w+)/);
      await booked.waitFor();
      const confirmation = /Confirmation number (\w+)/.exec((await booked.textContent()) ?? '')?.[1];
      const mine = await flow.api.get<{ items: { confirmationNumber: string; date: string; where: string }[] }>(
        '/redeliveries',
        recipient.accessToken,
      );
      expect(mine.body.items).toEqual([
        expect.objectContaining({ confirmationNumber: confirmation, date: dates[1], where: 'side_door' }),
      ]);
      // Booked: the form gives way to the booking and its cancel button, and the request shows in the list.
      await page.getByRole('button', { name: `Cancel redelivery ${confirmation}` }).waitFor();
      await expect(page.getByRole('button', { name: 'Schedule redelivery' }).count()).resolves.toBe(0);
      await page
        .getByRole('list', { name: 'Your requests on this parcel' })
        .getByText(/Redelivery requested/)
        .waitFor();
      await expectAccessible(page, `track after booking (${viewport.name})`);
      if (viewport.name === 'desktop') await screenshot(page, 'delivery-actions');

      // The dashboard lists the active request.
      await page.goto(`${flow.portal.gatewayUrl}/dashboard`);
      const active = page.locator('section', { has: page.getByRole('heading', { name: 'Active requests' }) });
      await active.getByText(confirmation ?? 'missing').waitFor();

      // Hold Mail: book one for the verified address, see it, cancel it.
      await page.goto(`${flow.portal.gatewayUrl}/hold-mail`);
      await page.getByRole('heading', { level: 1, name: 'Hold Mail' }).waitFor();
      await page.getByRole('button', { name: 'Hold my mail' }).waitFor();
      await expectAccessible(page, `hold mail (${viewport.name})`);
      const start = await page.getByLabel('First day held').inputValue();
      const end = await page.getByLabel('Last day held').inputValue();
      await page.getByLabel('When the hold ends').selectOption('pickup_at_post_office');
      await page.getByRole('button', { name: 'Hold my mail' }).click();
      const held = page.getByText(/Your mail will be held from .*Confirmation number (HM\w+)/);
      await held.waitFor();
      const hold = /Confirmation number (HM\w+)/.exec((await held.textContent()) ?? '')?.[1] ?? 'missing';
      const holds = await flow.api.get<{ items: Record<string, unknown>[] }>('/hold-mail', recipient.accessToken);
      expect(holds.body.items).toEqual([
        expect.objectContaining({
          confirmationNumber: hold,
          startDate: start,
          endDate: end,
          delivery: 'pickup_at_post_office',
          status: 'scheduled',
        }),
      ]);
      await page.getByRole('button', { name: `Cancel Hold Mail ${hold}` }).waitFor();
      await expectAccessible(page, `hold mail booked (${viewport.name})`);
      if (viewport.name === 'desktop') await screenshot(page, 'hold-mail');
      await page.getByRole('button', { name: `Cancel Hold Mail ${hold}` }).click();
      await page.getByText(`Hold Mail ${hold} cancelled.`).waitFor();
      // The list reloads after the notice: the cancelled hold keeps its row but loses its button.
      await page.getByRole('button', { name: `Cancel Hold Mail ${hold}` }).waitFor({ state: 'detached' });
      await page.getByText(/Cancelled/).waitFor();
      const after = await flow.api.get<{ status: string }>(`/hold-mail/${hold}`, recipient.accessToken);
      expect(after.body.status).toBe('cancelled');

      // The shipper sees the shipper's action only, and can intercept the parcel from the same page.
      if (viewport.name === 'desktop') {
        const shipperPage = await newPage(viewport.width, viewport.height);
        await logIn(shipperPage, shipper);
        await shipperPage.goto(`${flow.portal.gatewayUrl}/track/${tn}`);
        await shipperPage.getByRole('heading', { name: 'Manage this delivery' }).waitFor();
        await expect(shipperPage.getByRole('button', { name: 'Schedule redelivery' }).count()).resolves.toBe(0);
        await shipperPage.getByLabel('What should happen').selectOption('return_to_sender');
        await shipperPage.getByRole('button', { name: 'Request intercept' }).click();
        await shipperPage.getByText(/Intercept requested \(Return to sender\)/).waitFor();
        await expectAccessible(shipperPage, 'track as shipper');
        await shipperPage.context().close();
      }
      await page.context().close();
    });
  }

  it('shows no delivery actions to a signed-in stranger', async () => {
    const { tn } = await attemptedParcel();
    const stranger = await createUser(flow.api, flow.mailpit);
    const page = await newPage(1280, 900);
    await logIn(page, stranger);
    await page.goto(`${flow.portal.gatewayUrl}/track/${tn}`);
    await page.getByRole('heading', { level: 2, name: tn }).waitFor();
    // The options call answers 404 for a stranger; wait for it before looking for the section.
    await page.waitForLoadState('networkidle');
    await expect(page.getByRole('heading', { name: 'Manage this delivery' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Schedule redelivery' }).count()).resolves.toBe(0);
    await page.context().close();
  });
});
