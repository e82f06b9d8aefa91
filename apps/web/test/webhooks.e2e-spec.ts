import { createLabel, createUser, MailpitClient, PortalClient, startPortal, waitFor, type Portal } from '@app/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { expectAccessible, launchChromium, screenshot } from './support/browser';

describe('webhooks page in a browser (all apps behind the gateway, real infrastructure)', () => {
  let portal: Portal;
  let browser: Browser;
  let server: Server;
  const received: { headers: Record<string, string>; body: string }[] = [];
  const mailpit = new MailpitClient();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    portal = await startPortal({
      env: {
        WEBHOOK_TEST_LOOPBACK_PORT: String((server.address() as AddressInfo).port),
        GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '1000',
        GATEWAY_RATE_LIMIT_PER_MINUTE: '20000',
      },
      // The machine is shared by several test runs: give the five apps time to start.
      readyTimeoutMs: 120_000,
    });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it.each([
    ['desktop', 1280, 900],
    ['phone', 375, 740],
  ])(
    'adds an endpoint, shows its secret and delivery log, rotates and deletes it (%s)',
    async (name, width, height) => {
      const api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
      const user = await createUser(api, mailpit);
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${portal.gatewayUrl}/login`);
      await page.getByLabel('Username or email').fill(user.username);
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Your dashboard' }).waitFor({ timeout: 15_000 });

      await page.goto(`${portal.gatewayUrl}/webhooks`);
      await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
      await page.getByText('No endpoints yet.').waitFor();
      await expectAccessible(page, `webhooks (empty, ${name})`);

      // A refused URL: the API's reason is shown.
      await page.getByLabel('Endpoint URL').fill('https://169.254.169.254/latest/meta-data/');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await page
        .getByRole('alert')
        .getByText(/not a public address/)
        .waitFor();

      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}`;
      await page.getByLabel('Endpoint URL').fill(url);
      await page.getByLabel('Labels (created, refunded)').check();
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = ((await page.getByLabel('Signing secret').textContent()) ?? '').trim();
      expect(secret).toMatch(/^whsec_/);
      await page.getByRole('heading', { level: 3, name: url }).waitFor();

      // An event of the account reaches the receiver signed with that secret, and shows in the log.
      const label = await createLabel(api, user.accessToken);
      const delivery = await waitFor(() => received.find((r) => r.body.includes(label.labelId)), {
        timeoutMs: 30_000,
        description: 'the label.created delivery',
      });
      expect(new Webhook(secret).verify(delivery.body, delivery.headers)).toMatchObject({ type: 'label.created' });
      await page.getByRole('button', { name: `Delivery log of ${url}` }).click();
      await waitFor(
        async () => {
          await page.getByRole('button', { name: 'Refresh the log' }).click();
          return (await page.getByRole('cell', { name: 'label.created' }).count()) > 0;
        },
        { timeoutMs: 20_000, description: 'the delivery in the log' },
      );
      await page.getByRole('cell', { name: 'Succeeded' }).first().waitFor();
      await expectAccessible(page, `webhooks (log, ${name})`);
      if (name === 'desktop') {
        await screenshot(page, 'webhooks');
      }

      await page
        .getByRole('button', { name: /^Send again/ })
        .first()
        .click();
      await page.getByText(/queued again/).waitFor();

      // A test event: signed with the same secret, and in the log (the log is open already).
      await page.getByRole('button', { name: `Send test event to ${url}` }).click();
      await page.getByText(/Test event .* sent/).waitFor();
      // This run's endpoint only (the desktop and phone runs share the receiver): its id is in the payload.
      const test = await waitFor(
        () =>
          received.find((r) => {
            if (!r.body.includes('"webhook.test"')) return false;
            try {
              new Webhook(secret).verify(r.body, r.headers);
              return true;
            } catch {
              return false;
            }
          }),
        {
          timeoutMs: 30_000,
          description: 'the test event',
        },
      );
      expect(new Webhook(secret).verify(test.body, test.headers)).toMatchObject({ type: 'webhook.test' });
      await waitFor(
        async () => {
          await page.getByRole('button', { name: 'Refresh the log' }).click();
          return (await page.getByRole('cell', { name: 'webhook.test' }).count()) > 0;
        },
        { timeoutMs: 20_000, description: 'the test event in the log' },
      );

      await page.getByRole('button', { name: `Rotate secret of ${url}` }).click();
      await page.getByText('The secret was rotated.', { exact: false }).waitFor();
      await page.getByText(/previous secret also signs until/).waitFor();

      await page.getByRole('button', { name: `Delete ${url}` }).click();
      await page.getByText('No endpoints yet.').waitFor();
      await context.close();
    },
    150_000,
  );
});
