import * as fs from 'node:fs';
import {
  createLabel,
  createUser,
  MailpitClient,
  PortalClient,
  readBarcode,
  startPortal,
  type Portal,
} from '@app/testing';
import type { Browser } from 'playwright-core';
import { axeViolations, launchChromium } from './support/browser';

// Issue 18 on the labels page: a download per label format, and a return label with its QR code.
describe('labels page: formats and return labels (browser)', () => {
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

  it('downloads every format and shows a new return label with a QR code that reads as its tracking number', async () => {
    const api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
    const user = await createUser(api, new MailpitClient());
    const label = await createLabel(api, user.accessToken);
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    ).newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${portal.gatewayUrl}/login`);
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Your dashboard' }).waitFor();
    await page.goto(`${portal.gatewayUrl}/labels`);
    await page.getByRole('heading', { level: 1, name: 'Shipping labels' }).waitFor();

    const tn = label.trackingNumber;
    const downloads: [string, string, (file: Buffer) => boolean][] = [
      [
        `Download PDF of label ${tn}`,
        `label-${tn}.pdf`,
        (f) => f.toString('latin1').includes('/MediaBox [0 0 288 432]'),
      ],
      [
        `Download Letter PDF of label ${tn}`,
        `label-${tn}.letter.pdf`,
        (f) => f.toString('latin1').includes('/MediaBox [0 0 612 792]'),
      ],
      [`Download ZPL of label ${tn}`, `label-${tn}.zpl`, (f) => f.toString('utf8').startsWith('^XA')],
      [`Download PNG of label ${tn}`, `label-${tn}.png`, (f) => f.subarray(1, 4).toString('latin1') === 'PNG'],
    ];
    for (const [name, filename, looksRight] of downloads) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name, exact: true }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(filename);
      expect({ filename, ok: looksRight(fs.readFileSync(await download.path())) }).toEqual({ filename, ok: true });
    }

    await page.getByRole('button', { name: `Create return label for ${tn}` }).click();
    const form = page.getByRole('form', { name: `Return label for ${tn}` });
    await form.getByLabel('Pay with').selectOption('balance');
    await form.getByRole('button', { name: 'Create return label' }).click();
    const created = page.getByRole('status').filter({ hasText: 'nothing is charged until it is first scanned' });
    await created.waitFor();
    const returnTn = ((await created.locator('strong.mono').textContent()) ?? '').trim();
    expect(returnTn).toMatch(/^\d{22}$/);
    expect(returnTn).not.toBe(tn);
    const qr = created.getByRole('img', { name: `QR code of return label ${returnTn}` });
    const src = (await qr.getAttribute('src')) ?? '';
    expect(src.startsWith('data:image/png;base64,')).toBe(true);
    expect(readBarcode(Buffer.from(src.split(',')[1], 'base64'), 'qr')).toBe(returnTn);
    // The list shows the return label with where its charge stands.
    await page.getByText('Return label · charged when first scanned').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  }, 180_000);
});
