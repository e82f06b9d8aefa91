import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { loadGatewayConfig } from '../src/config';
import { createGatewayApp } from '../src/gateway';

describe('gateway: a client that goes away', () => {
  let upstream: Server;
  let app: NestFastifyApplication;
  let upstreamClosed: Promise<void>;
  const lines: { level: number; msg?: string; err?: unknown }[] = [];

  beforeAll(async () => {
    // An upstream that never answers: only the client's abort ends the request.
    let closed!: () => void;
    upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    upstream = createServer((req) => req.on('close', closed));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    app = await createGatewayApp(
      loadGatewayConfig({
        AUTH_URL: url,
        TRACKING_URL: url,
        PICKUP_URL: url,
        NOTIFICATIONS_URL: url,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `test-${randomUUID()}:`,
      }),
      pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) }),
    );
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    upstream?.closeAllConnections();
    upstream?.close();
  });

  it('stops the upstream request and logs an info line without a stack, no error', async () => {
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const client = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/tracking/9400100000000000000000' });
    client.on('error', () => undefined);
    client.end();
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.destroy();

    await upstreamClosed;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    const notice = lines.find((l) => l.msg?.includes('client closed the connection'));
    expect(notice).toMatchObject({ level: 30 });
    expect(JSON.stringify(notice)).not.toContain('stack');
  });
});
