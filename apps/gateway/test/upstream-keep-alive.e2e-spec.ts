import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import request from 'supertest';
import { loadGatewayConfig } from '../src/config';
import { createGatewayApp } from '../src/gateway';

interface Hit {
  method: string;
  url: string;
  dropped: boolean;
}

/**
 * An upstream that answers the first request on each connection and then, like a server whose keep-alive
 * timer fired just as the gateway reused the socket, drops the connection on any later request without answering.
 */
async function startClosingUpstream(): Promise<{ server: Server; url: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const served = new WeakMap<Socket, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const count = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, count);
      const dropped = count > 1;
      hits.push({ method: req.method ?? '', url: req.url ?? '', dropped });
      if (dropped) {
        req.socket.destroy();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

describe('gateway upstream keep-alive (stale sockets)', () => {
  let upstream: Awaited<ReturnType<typeof startClosingUpstream>>;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    upstream = await startClosingUpstream();
    app = await createGatewayApp(
      loadGatewayConfig({
        AUTH_URL: upstream.url,
        TRACKING_URL: upstream.url,
        PICKUP_URL: upstream.url,
        NOTIFICATIONS_URL: upstream.url,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `test-${randomUUID()}:`,
        GATEWAY_UPSTREAM_TIMEOUT_MS: '2000',
      }),
      pino({ level: 'silent' }),
    );
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    upstream?.server.close();
  });

  const http = () => request(app.getHttpServer());

  it('retries a GET once on a fresh socket when the upstream closed the reused one', async () => {
    await http().get('/api/v1/tracking/WARMUP').expect(200);
    const before = upstream.hits.length;

    await http().get('/api/v1/tracking/9400100000000000000000').expect(200);

    const hits = upstream.hits.slice(before);
    expect(hits).toEqual([
      { method: 'GET', url: '/api/v1/tracking/9400100000000000000000', dropped: true },
      { method: 'GET', url: '/api/v1/tracking/9400100000000000000000', dropped: false },
    ]);
  });

  it('does not send a streamed POST body twice when the reused socket is closed', async () => {
    await http().get('/api/v1/tracking/WARMUP').expect(200);
    const before = upstream.hits.length;

    const res = await http().post('/api/v1/auth/login').send({ username: 'a', password: 'b' }).expect(502);

    expect(res.body).toMatchObject({ statusCode: 502, error: 'Bad Gateway' });
    expect(upstream.hits.slice(before)).toEqual([{ method: 'POST', url: '/api/v1/auth/login', dropped: true }]);
  });
});
