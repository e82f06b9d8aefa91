import { createUser, MailpitClient, PortalClient, startPortal, type Portal, type TestUser } from '@app/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

// Teams (issue 18): the organisation page, the header's "acting for" switcher and the invitation page.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function expectAccessible(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate<boolean>('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<{ id: string; nodes: string[] }[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      id: v.id, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    })))`,
  );
  expect({ page: what, violations }).toEqual({ page: what, violations: [] });
  if ((page.viewportSize()?.width ?? 1280) < 500) {
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect({ page: what, overflow: Math.max(overflow, 0) }).toEqual({ page: what, overflow: 0 });
  }
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function heading(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: 15_000 });
}

describe('organisations in a browser (all apps behind the gateway, real infrastructure)', () => {
  let portal: Portal;
  let browser: Browser;
  let api: PortalClient;
  const mailpit = new MailpitClient();

  beforeAll(async () => {
    portal = await startPortal({
      env: { GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '1000', GATEWAY_RATE_LIMIT_PER_MINUTE: '20000' },
    });
    api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  async function newPage(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function logInForm(page: Page, user: TestUser): Promise<void> {
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
  }

  it('creates an organisation, invites a member who accepts from the emailed link, changes roles and switches back', async () => {
    const owner = await createUser(api, mailpit);
    const invitee = await createUser(api, mailpit);
    const page = await newPage(1280, 900);
    await page.goto(`${portal.gatewayUrl}/login`);
    await logInForm(page, owner);
    await heading(page, 'Your dashboard');

    await page.getByRole('link', { name: 'Organisation', exact: true }).click();
    await heading(page, 'Organisations');
    await expectAccessible(page, 'organisations');
    await page.getByLabel('Name').fill('Browser Co');
    await page.getByRole('button', { name: 'Create' }).click();
    await heading(page, 'Browser Co');
    // The header's switcher now says whom the session acts for.
    await expect(page.getByLabel('Acting for').inputValue()).resolves.toMatch(/^org_/);

    await page.getByLabel('Email').fill(invitee.email);
    await page.getByLabel('Role', { exact: true }).selectOption('shipper');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText(`Invitation sent to ${invitee.email}.`).waitFor();
    await page.getByRole('button', { name: `Withdraw invitation to ${invitee.email}` }).waitFor();
    // The audit log says what happened in words (its code stays in the API).
    await page.getByRole('cell', { name: 'Invitation sent' }).waitFor();
    await expectAccessible(page, 'organisation');
    await shot(page, 'organisation');

    // The invited person opens the link signed out, logs in, comes back to it and accepts.
    const message = await mailpit.waitForMessage({
      to: invitee.email,
      subject: 'invited to join Browser Co',
      timeoutMs: 30_000,
    });
    const link = /(\/org\/accept#token=\S+)/.exec(await mailpit.messageText(message.ID))?.[1];
    expect(link).toBeDefined();
    const other = await newPage(375, 800);
    await other.goto(`${portal.gatewayUrl}${link!}`);
    await heading(other, 'Join an organisation');
    await other.getByRole('link', { name: 'Log in' }).click();
    await logInForm(other, invitee);
    await other.getByRole('button', { name: 'Accept the invitation' }).click();
    await other.getByText('You joined Browser Co as Shipper.').waitFor();
    await expectAccessible(other, 'accept-invite (phone)');
    await shot(other, 'phone-accept-invite');
    await other.getByRole('button', { name: 'Act for Browser Co' }).click();
    await heading(other, 'Browser Co');
    await other.getByText(/as\s+Shipper/).waitFor();
    // A shipper sees the members but manages nothing.
    await expect(other.getByRole('button', { name: 'Send invitation' }).count()).resolves.toBe(0);
    await expectAccessible(other, 'organisation as shipper (phone)');

    // The owner makes the new member a viewer; the audit log records it.
    await page.reload();
    await heading(page, 'Browser Co');
    await page.getByLabel(`Role of ${invitee.username}`).selectOption('viewer');
    await page.getByText('Role changed.').waitFor();
    await page.getByRole('cell', { name: "Member's role changed" }).waitFor();

    // Back to the personal account through the header's switcher.
    await page.getByLabel('Acting for').selectOption('');
    await heading(page, 'Organisations');
    await page.getByRole('button', { name: 'Act for Browser Co' }).waitFor();
    await page.context().close();
    await other.context().close();
  }, 180_000);
});
