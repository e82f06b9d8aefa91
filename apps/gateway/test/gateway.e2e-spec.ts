import { listUnguardedRoutes } from '@app/auth';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import request from 'supertest';
import { JwtVerifier } from '@app/auth';
import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { API_CSP, RedisConnection, SWAGGER_UI_CSP, WEB_CSP } from '@app/platform';
import { waitFor } from '@app/testing';
import { loadGatewayConfig } from '../src/config';
import { createGatewayApp } from '../src/gateway';

interface Stub {
  server: Server;
  url: string;
  calls: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
}

async function startStub(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<Stub> {
  const stub = { calls: [] } as unknown as Stub;
  stub.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      stub.calls.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handle(req, res, body);
    });
  });
  await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`;
  return stub;
}

function echo(req: IncomingMessage, res: ServerResponse, body: string): void {
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-upstream', 'yes');
  res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const silent = pino({ level: 'silent' });
const SCRAPER_TOKEN = 'gateway-scraper-token-0123';

describe('gateway (real Redis, stub upstreams)', () => {
  let issuer: TestTokenIssuer;
  let auth: Stub;
  let tracking: Stub;
  let notifications: Stub;
  let app: NestFastifyApplication;
  let baseEnv: Record<string, string>;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    auth = await startStub((req, res, body) => {
      if (req.url === '/.well-known/jwks.json') {
        void fetch(issuer.jwksUrl)
          .then((r) => r.text())
          .then((jwks) => res.setHeader('content-type', 'application/json').end(jwks));
        return;
      }
      if (req.url === '/api/v1/internal/api-keys/token') {
        const { key } = JSON.parse(body) as { key: string };
        if (key !== 'good-key') {
          res.statusCode = 401;
          res.end('{}');
          return;
        }
        void issuer.sign({ sub: 'key-1', roles: ['scanner'] }).then((accessToken) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ accessToken, expiresIn: 300 }));
        });
        return;
      }
      if (req.url === '/docs-json') {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ openapi: '3.0.0', info: {}, paths: { '/api/v1/me': { get: {} } }, tags: [{ name: 'me' }] }),
        );
        return;
      }
      echo(req, res, body);
    });
    tracking = await startStub((req, res, body) => {
      if (req.url?.startsWith('/api/v1/tracking/SLOW')) {
        setTimeout(() => echo(req, res, body), 1500);
        return;
      }
      echo(req, res, body);
    });
    notifications = await startStub(echo);
    baseEnv = {
      AUTH_URL: auth.url,
      TRACKING_URL: tracking.url,
      PICKUP_URL: await closedPortUrl(),
      NOTIFICATIONS_URL: notifications.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `test-${randomUUID()}:`,
      GATEWAY_RATE_LIMIT_PER_MINUTE: '1000',
      GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '5',
      GATEWAY_BODY_LIMIT: '1kb',
      GATEWAY_UPSTREAM_TIMEOUT_MS: '500',
      GATEWAY_CORS_ORIGINS: 'http://localhost:5173',
      METRICS_TOKEN: SCRAPER_TOKEN,
    };
    app = await createGatewayApp(loadGatewayConfig(baseEnv), silent);
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    for (const stub of [auth, tracking, notifications]) stub?.server.close();
    await issuer?.close();
  });

  const http = () => request(app.getHttpServer());

  it('guards every route or marks it public', () => {
    expect(listUnguardedRoutes(app)).toEqual([]);
  });

  it('proxies a public route with path, query, request id and forwarded-for', async () => {
    const res = await http()
      .get('/api/v1/tracking/9400100000000000000000?lang=en')
      .set('x-request-id', 'req-1')
      .expect(200);
    expect(res.headers['x-upstream']).toBe('yes');
    expect(res.headers['x-request-id']).toBe('req-1');
    expect(res.body).toMatchObject({ method: 'GET', url: '/api/v1/tracking/9400100000000000000000?lang=en' });
    expect(res.body.headers['x-request-id']).toBe('req-1');
    expect(res.body.headers['x-forwarded-for']).toMatch(/127\.0\.0\.1/);
  });

  it('refuses a protected route without a token in the error shape', async () => {
    const res = await http().get('/api/v1/notifications').set('x-request-id', 'req-2').expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing bearer token',
      requestId: 'req-2',
    });
    expect(notifications.calls).toHaveLength(0);
  });

  it('forwards a protected route with a valid token and refuses an expired one', async () => {
    const token = await issuer.sign();
    const res = await http().get('/api/v1/notifications').set('authorization', `Bearer ${token}`).expect(200);
    expect(res.body.headers.authorization).toBe(`Bearer ${token}`);
    const expired = await issuer.sign({ expiresInSeconds: -10 });
    const refused = await http().get('/api/v1/notifications').set('authorization', `Bearer ${expired}`).expect(401);
    expect(refused.body.message).toBe('Token expired');
  });

  it('exchanges an API key for a JWT once and forwards it as a bearer token', async () => {
    const body = { events: [] };
    const first = await http().post('/api/v1/scans').set('x-api-key', 'good-key').send(body).expect(200);
    await http().post('/api/v1/scans').set('x-api-key', 'good-key').send(body).expect(200);
    const forwarded = first.body.headers.authorization as string;
    expect(forwarded).toMatch(/^Bearer /);
    expect(first.body.headers['x-api-key']).toBeUndefined();
    await expect(
      new JwtVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, audience: issuer.audience }).verify(
        forwarded.slice(7),
      ),
    ).resolves.toMatchObject({ userId: 'key-1', roles: ['scanner'] });
    expect(auth.calls.filter((c) => c.url === '/api/v1/internal/api-keys/token')).toHaveLength(1);
    expect(JSON.parse(first.body.body)).toEqual(body);
  });

  it('refuses an unknown API key with 401', async () => {
    const res = await http().post('/api/v1/scans').set('x-api-key', 'bad-key').send({ events: [] }).expect(401);
    expect(res.body.message).toBe('Invalid API key');
  });

  it('does not expose internal routes and answers unknown routes with 404', async () => {
    await http().post('/api/v1/internal/api-keys/token').send({ key: 'good-key' }).expect(404);
    await http().post('/API/V1/INTERNAL/api-keys/token').send({ key: 'good-key' }).expect(404);
    const res = await http().get('/api/v1/nothing').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('refuses a declared oversized body with 413 before proxying', async () => {
    const before = notifications.calls.length;
    const res = await http()
      .post('/api/v1/support/cases')
      .set('authorization', `Bearer ${await issuer.sign()}`)
      .send({ body: 'x'.repeat(2000) })
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect(notifications.calls.length).toBe(before);
  });

  it('refuses an oversized chunked body with 413 while streaming', async () => {
    const token = await issuer.sign();
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/support/cases',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        },
        (answer) => {
          let text = '';
          answer.on('data', (c: Buffer) => (text += c.toString()));
          answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      // No Content-Length: node sends the body chunked, so only counting bytes can catch it.
      for (let i = 0; i < 4; i++) req.write(`{"pad":"${'y'.repeat(400)}"}`);
      req.end();
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ statusCode: 413 });
  });

  it('answers a non-JSON body with 415', async () => {
    await http().post('/api/v1/auth/login').set('content-type', 'text/plain').send('username=a').expect(415);
  });

  it('answers 502 when the owning service is down and 504 when it is slow', async () => {
    const down = await http().get('/api/v1/stamps').expect(502);
    expect(down.body).toMatchObject({ statusCode: 502, error: 'Bad Gateway' });
    const slow = await http().get('/api/v1/tracking/SLOW1').expect(504);
    expect(slow.body).toMatchObject({ statusCode: 504, error: 'Gateway Timeout' });
  });

  it('limits auth routes per IP with 429 and Retry-After', async () => {
    let last: request.Response | undefined;
    for (let i = 0; i < 6; i++) last = await http().post('/api/v1/auth/forgot-username').send({ email: 'a@b.c' });
    expect(last?.status).toBe(429);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect(last?.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });

  it('allows the configured CORS origin only', async () => {
    const ok = await http()
      .options('/api/v1/tracking/x')
      .set('origin', 'http://localhost:5173')
      .set('access-control-request-method', 'GET')
      .expect(204);
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const other = await http()
      .options('/api/v1/tracking/x')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves a merged OpenAPI document that tolerates a service being down, and Swagger UI', async () => {
    const res = await http().get('/api/docs-json').expect(200);
    expect(res.body.paths['/api/v1/me']).toBeDefined();
    expect(res.body['x-unavailable-services']).toEqual(expect.arrayContaining(['pickup']));
    const ui = await http().get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui-bundle.js');
    await http().get('/api/docs/swagger-ui-bundle.js').expect(200);
  });

  it.each([
    '/',
    '/index.html',
    '/pickups',
    '/api/docs',
    '/api/docs/',
    '/api/docs/index.html',
    '/api/docs/oauth2-redirect.html',
  ])('puts a Content-Security-Policy without inline scripts on the HTML page %s', async (page) => {
    const res = await http().get(page).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toBe(page.startsWith('/api/docs') ? SWAGGER_UI_CSP : WEB_CSP);
  });

  it('gives JSON answers the strict API policy', async () => {
    for (const path of ['/api/docs-json', '/health/live', '/api/v1/tracking/x']) {
      const res = await http().get(path);
      expect({ path, csp: res.headers['content-security-policy'] }).toEqual({ path, csp: API_CSP });
    }
  });

  it('serves the JWKS from auth at the root', async () => {
    const res = await http().get('/.well-known/jwks.json').expect(200);
    expect(res.body.keys[0].kid).toBe(issuer.kid);
  });

  it('is live, ready while Redis answers, and exposes metrics to the scraper only', async () => {
    await http().get('/health/live').expect(200);
    await http().get('/health/ready').expect(200);
    const metrics = await http().get('/metrics').set('Authorization', `Bearer ${SCRAPER_TOKEN}`).expect(200);
    // Lookups carry their own label (the lookup SLO's traffic); the rest of a service is labelled by its prefix.
    expect(metrics.text).toContain('route="tracking /api/v1/tracking/:trackingNumber"');
    expect(metrics.text).toContain('route="auth /.well-known/jwks.json"');
    const anonymous = await http().get('/metrics').expect(401);
    expect(anonymous.text).not.toContain('http_request_duration_seconds');
    await http().get('/metrics').set('Authorization', 'Bearer guessed-token-000000').expect(401);
  });

  it('has no /metrics for anyone when METRICS_TOKEN is unset', async () => {
    const { METRICS_TOKEN: _token, ...withoutToken } = baseEnv;
    const plain = await createGatewayApp(
      loadGatewayConfig({ ...withoutToken, REDIS_PREFIX: `test-${randomUUID()}:` }),
      silent,
    );
    await plain.init();
    try {
      await request(plain.getHttpServer()).get('/metrics').expect(404);
      await request(plain.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${SCRAPER_TOKEN}`).expect(404);
    } finally {
      await plain.close();
    }
  });

  it('limits batch tracking lookups per client apart from single lookups, and the reverse', async () => {
    const strict = await createGatewayApp(
      loadGatewayConfig({
        ...baseEnv,
        REDIS_PREFIX: `test-${randomUUID()}:`,
        // One hop of X-Forwarded-For is trusted, so each test client is its own IP.
        GATEWAY_TRUST_PROXY_HOPS: '1',
        GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE: '4',
        GATEWAY_TRACKING_BATCH_RATE_LIMIT_PER_MINUTE: '2',
      }),
      silent,
    );
    await strict.init();
    try {
      const server = strict.getHttpServer();
      const batch = (ip: string) => request(server).get('/api/v1/tracking?numbers=a,b,c').set('x-forwarded-for', ip);
      const single = (ip: string, n: string) => request(server).get(`/api/v1/tracking/${n}`).set('x-forwarded-for', ip);

      // Client A uses up its batch bucket: further batches are refused, with the reason and when to retry ...
      await batch('203.0.113.1').expect(200);
      await batch('203.0.113.1').expect(200);
      const refused = await batch('203.0.113.1').expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.body.message).toMatch(/batch tracking lookups/);
      // ... while its single lookups still go through, up to their own limit.
      for (const n of ['a', 'b', 'c', 'd']) await single('203.0.113.1', n).expect(200);
      expect((await single('203.0.113.1', 'e').expect(429)).body.message).toMatch(/tracking lookups/);

      // Client B uses up its single lookups first: its batches still go through.
      for (const n of ['a', 'b', 'c', 'd']) await single('203.0.113.2', n).expect(200);
      const singleRefused = await single('203.0.113.2', 'e').expect(429);
      expect(Number(singleRefused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await batch('203.0.113.2').expect(200);
      await batch('203.0.113.2').expect(200);
      await batch('203.0.113.2').expect(429);

      // Neither bucket touches the other routes: the watchlist is not a public lookup.
      await request(server).get('/api/v1/tracking/watchlist').set('x-forwarded-for', '203.0.113.2').expect(401);
    } finally {
      await strict.close();
    }
  });

  it('shares a limit between gateway replicas through Redis, though each counts its requests in memory', async () => {
    const env = loadGatewayConfig({
      ...baseEnv,
      REDIS_PREFIX: `test-${randomUUID()}:`,
      GATEWAY_TRUST_PROXY_HOPS: '1',
      GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE: '4',
    });
    const [first, second] = [await createGatewayApp(env, silent), await createGatewayApp(env, silent)];
    await first.init();
    await second.init();
    try {
      const single = (server: unknown, n: string) =>
        request(server as Parameters<typeof request>[0])
          .get(`/api/v1/tracking/${n}`)
          .set('x-forwarded-for', '203.0.113.9');
      await single(first.getHttpServer(), 'a').expect(200);
      await single(first.getHttpServer(), 'b').expect(200);
      await single(first.getHttpServer(), 'c').expect(200);
      // The first replica adds its three to Redis within its flush interval; the second then has one left.
      const redis = first.get(RedisConnection).client;
      await waitFor(async () => (await redis.get(`${env.REDIS_PREFIX}gateway:rl:tracking:203.0.113.9`)) === '3', {
        intervalMs: 20,
        description: 'the first replica’s count in Redis',
      });
      await single(second.getHttpServer(), 'd').expect(200);
      // Once the second has added its one, it knows all four are used: its next is refused (alone it would allow four).
      await waitFor(async () => (await redis.get(`${env.REDIS_PREFIX}gateway:rl:tracking:203.0.113.9`)) === '4', {
        intervalMs: 20,
        description: 'the second replica’s count in Redis',
      });
      const refused = await single(second.getHttpServer(), 'e').expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('limits all routes per IP', async () => {
    const strict = await createGatewayApp(
      loadGatewayConfig({ ...baseEnv, REDIS_PREFIX: `test-${randomUUID()}:`, GATEWAY_RATE_LIMIT_PER_MINUTE: '2' }),
      silent,
    );
    await strict.init();
    try {
      const server = strict.getHttpServer();
      await request(server).get('/api/v1/tracking/a').expect(200);
      await request(server).get('/api/v1/tracking/b').expect(200);
      const res = await request(server).get('/api/v1/tracking/c').expect(429);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await strict.close();
    }
  });
});
