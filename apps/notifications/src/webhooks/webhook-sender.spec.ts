import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadNotificationsConfig } from '../config';
import { WebhookSender } from './webhook-sender';
import { DnsResolver, WebhookUrlGuard } from './webhook-url-guard';

/** A receiver on loopback (the test-only port), whose answer each test sets. */
describe('WebhookSender', () => {
  let server: Server;
  let answer: (res: import('node:http').ServerResponse) => void;
  let sender: WebhookSender;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const config = loadNotificationsConfig({
      KAFKA_SASL_USERNAME: 'notifications',
      KAFKA_SASL_PASSWORD: 'x',
      PORTAL_ENV: 'development',
      WEBHOOK_TEST_LOOPBACK_PORT: String(port),
      WEBHOOK_TIMEOUT_MS: '300',
    });
    sender = new WebhookSender(config, new WebhookUrlGuard(config, new DnsResolver()));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const send = (url = `http://127.0.0.1:${port}/hook`) => sender.send({ url, headers: {}, body: '{}' });

  it('reports the status code and latency of an answer', async () => {
    answer = (res) => res.writeHead(204).end();
    const result = await send();
    expect(result).toMatchObject({ statusCode: 204 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('does not follow a redirect', async () => {
    answer = (res) => res.writeHead(307, { location: 'http://169.254.169.254/' }).end();
    await expect(send()).resolves.toMatchObject({ statusCode: 307 });
  });

  it('gives up on a receiver that does not answer within WEBHOOK_TIMEOUT_MS', async () => {
    answer = () => undefined; // never answers
    const result = await send();
    expect(result.error).toBe('no answer within 300 ms');
    expect(result.latencyMs).toBeLessThan(3000);
  });

  it('stops reading an endless answer', async () => {
    answer = (res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    };
    // Read up to 64 KiB, then the connection is dropped: the status is what counts.
    const result = await send();
    expect(result).toMatchObject({ statusCode: 200 });
    expect(result.latencyMs).toBeLessThan(3000);
  });

  it('refuses a private address without connecting', async () => {
    await expect(send('https://10.1.2.3/hook')).resolves.toMatchObject({
      refused: true,
      error: expect.stringMatching(/private/) as string,
    });
  });
});
