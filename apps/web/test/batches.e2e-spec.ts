import { BATCH_CSV_COLUMNS } from '@app/contracts';
import { createUser, MailpitClient, PortalClient, startPortal, type Portal, type TestUser } from '@app/testing';
import * as fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { expectAccessible, launchChromium, screenshot } from './support/browser';

jest.setTimeout(240_000);

const row = (cells: Record<string, string>) => BATCH_CSV_COLUMNS.map((c) => cells[c] ?? '').join(',');
const good = {
  from_name: 'ACME WIDGETS',
  from_line1: '1 MAIN ST',
  from_city: 'CHICAGO',
  from_state: 'IL',
  from_zip: '60601',
  to_name: 'ALAN TURING',
  to_line1: '2 ELM ST',
  to_city: 'DENVER',
  to_state: 'CO',
  to_zip: '80202',
  weight_oz: '20',
  service: 'priority',
};

describe('web portal: batch upload and SCAN forms in a browser (real stack)', () => {
  let portal: Portal;
  let browser: Browser;
  let user: TestUser;

  beforeAll(async () => {
    portal = await startPortal({ env: { GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '1000' } });
    user = await createUser(new PortalClient(`${portal.gatewayUrl}/api/v1`), new MailpitClient());
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('uploads a CSV, shows its progress and bad rows, downloads the labels, then makes a SCAN form of them', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${portal.gatewayUrl}/login`);
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Your dashboard' }).waitFor();

    await page.getByRole('link', { name: 'Batches' }).click();
    await page.getByRole('heading', { level: 1, name: 'Batch shipping' }).waitFor();
    await page.getByText('No batches yet.').waitFor();
    await expectAccessible(page, 'batches (empty)');

    const csv = [
      BATCH_CSV_COLUMNS.join(','),
      row({ ...good, reference: 'W-1' }),
      row({ ...good, reference: 'W-2', to_state: 'Colorado' }),
      row({ ...good, reference: 'W-3', to_zip: '10001' }),
    ].join('\n');
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'batch.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload and create labels' }).click();
    await page.getByText('Your batch is ready.').waitFor({ timeout: 120_000 });
    await page.getByText('2 of 2 labels made').waitFor();
    const problems = page.getByRole('table');
    await problems.getByRole('cell', { name: 'W-2' }).waitFor();
    expect(await problems.getByRole('row').count()).toBe(2); // the header and line 3
    await expectAccessible(page, 'batches (completed)');
    await screenshot(page, 'batches');

    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download labels (PDF)' }).click(),
    ]);
    expect(
      fs
        .readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const [out] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download tracking numbers (CSV)' }).click(),
    ]);
    const outcome = fs.readFileSync(await out.path(), 'utf8');
    expect(outcome.split('\r\n')[0]).toMatch(/^line,reference,outcome,tracking_number/);
    const numbers = outcome.match(/9\d{21}/g) ?? [];
    expect(numbers).toHaveLength(2);

    await page.getByRole('link', { name: 'SCAN forms' }).click();
    await page.getByRole('heading', { level: 1, name: 'SCAN forms' }).waitFor();
    for (const number of numbers) await page.getByLabel(new RegExp(number)).check();
    await expectAccessible(page, 'SCAN forms (choosing)');
    await page.getByRole('button', { name: 'Make SCAN form (2 labels)' }).click();
    await page.getByText(/SCAN form 92750\d{17} made for 2 labels/).waitFor();
    await page.getByText('2 labels · mailing').waitFor();
    await expectAccessible(page, 'SCAN forms (made)');
    await screenshot(page, 'manifests');
    const [form] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Download SCAN form 92750/ }).click(),
    ]);
    expect(
      fs
        .readFileSync(await form.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await context.close();
  });
});
