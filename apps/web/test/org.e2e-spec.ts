import { createUser, MailpitClient, PortalClient, startPortal, type Portal, type TestUser } from '@app/testing';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchChromium, screenshot } from './support/browser';

// Teams (issue 18): the organisation page, the header's "acting for" switcher and the invitation page.

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
    browser = await launchChromium();
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
    await screenshot(page, 'organisation');

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
    await screenshot(other, 'phone-accept-invite');
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
