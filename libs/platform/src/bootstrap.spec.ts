import { Body, Controller, Get, HttpException, HttpStatus, Module, OnModuleInit, Post, Req } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { IsString } from 'class-validator';
import pino from 'pino';
import request from 'supertest';
import type { Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createServiceApp, SERVER_HEADERS_TIMEOUT_MS, SERVER_KEEP_ALIVE_TIMEOUT_MS } from './bootstrap';
import { HealthRegistry } from './health/health.registry';
import { RequestContext } from './request-context';

class EchoDto {
  @IsString()
  name: string;
}

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() dto: EchoDto) {
    return { name: dto.name, correlationId: RequestContext.correlationId() };
  }

  @Get('boom')
  boom() {
    throw new Error('database password is hunter2');
  }

  @Get('item')
  item() {
    return { id: 'item', status: 'in transit' };
  }

  @Get('busy')
  busy() {
    throw new HttpException({ message: 'try again later', retryAfterSeconds: 7 }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

@Module({ controllers: [ThingsController] })
class SampleModule implements OnModuleInit {
  static healthy = true;
  static optionalUp = true;
  constructor(private readonly health: HealthRegistry) {}
  onModuleInit() {
    this.health.register('sample', () => (SampleModule.healthy ? Promise.resolve() : Promise.reject(new Error('x'))));
    this.health.register('slow', () => new Promise((resolve) => setTimeout(resolve, SampleModule.healthy ? 0 : 500)));
    this.health.register(
      'optional',
      () => (SampleModule.optionalUp ? Promise.resolve() : Promise.reject(new Error('y'))),
      {
        critical: false,
      },
    );
  }
}

const SCRAPER_TOKEN = 'scraper-token-0123456789';

// Every behaviour holds on both HTTP engines.
describe.each(['express', 'fastify'] as const)('createServiceApp on %s', (http) => {
  let app: INestApplication;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    app = await createServiceApp(SampleModule, {
      http,
      name: 'sample',
      port: 0,
      bodyLimit: '1kb',
      metricsToken: SCRAPER_TOKEN,
      logger: pino(
        { level: 'info' },
        { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
      ),
    });
    app.get(HealthRegistry).setTimeout(100);
    await app.init();
  });
  afterAll(() => app.close());

  it('mounts routes under api/v1 and carries the request id into the handler', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/things')
      .set('x-request-id', 'abc-123')
      .send({ name: 'n' })
      .expect(201);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.body).toEqual({ name: 'n', correlationId: 'abc-123' });
  });

  it('keeps idle sockets open longer than the gateway agent does, with headersTimeout above keepAliveTimeout', () => {
    const server: Server = app.getHttpServer();
    expect(server.keepAliveTimeout).toBe(SERVER_KEEP_ALIVE_TIMEOUT_MS);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    expect(SERVER_HEADERS_TIMEOUT_MS).toBe(server.headersTimeout);
  });

  it('replaces an unsafe request id with a generated one', async () => {
    const res = await request(app.getHttpServer()).get('/health/live').set('x-request-id', 'bad id<script>');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses unknown fields with 400 in the error shape', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/things')
      .set('x-request-id', 'r1')
      .send({ name: 'n', admin: true })
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: ['property admin should not exist'],
      // Each reason names its field (issue 20), so a form can show it under the control.
      fields: [{ field: 'admin', message: 'property admin should not exist' }],
      requestId: 'r1',
    });
  });

  it('answers malformed JSON with 400', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/things')
      .set('content-type', 'application/json')
      .send('{"name":')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.requestId).toBeDefined();
  });

  it('answers a body over the limit with 413', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/things')
      .send({ name: 'x'.repeat(2000) })
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('answers a non-JSON body with 415', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/things')
      .set('content-type', 'text/plain')
      .send('name=n')
      .expect(415);
    expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/nothing').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('says how long to wait in Retry-After when a 429 carries retryAfterSeconds', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/things/busy').expect(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body).toMatchObject({ statusCode: 429, retryAfterSeconds: 7, message: 'try again later' });
  });

  it('hides the detail of an unexpected error behind a generic 500', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/things/boom').expect(500);
    expect(res.body).toMatchObject({ statusCode: 500, message: 'Internal server error' });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('serves health outside the prefix; ready lists the failing checks', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);
    SampleModule.healthy = true;
    await request(app.getHttpServer()).get('/health/ready').expect(200);
    SampleModule.healthy = false;
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.failing).toEqual(['sample', 'slow']);
    SampleModule.healthy = true;
  });

  it('stays ready when only a non-critical check is down, and says so', async () => {
    SampleModule.optionalUp = false;
    try {
      const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
      expect(res.body).toMatchObject({
        status: 'degraded',
        degraded: ['optional'],
        checks: { optional: 'down', sample: 'up' },
      });
    } finally {
      SampleModule.optionalUp = true;
    }
    const healthy = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(healthy.body).toMatchObject({ status: 'ok', checks: { optional: 'up' } });
  });

  it('exposes Prometheus metrics with the route template to the scraper', async () => {
    const res = await request(app.getHttpServer())
      .get('/metrics')
      .set('Authorization', `Bearer ${SCRAPER_TOKEN}`)
      .expect(200);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/things"/);
  });

  it('refuses /metrics without the scraper token, or with another one', async () => {
    const none = await request(app.getHttpServer()).get('/metrics').expect(401);
    expect(none.text).not.toContain('process_cpu_user_seconds_total');
    await request(app.getHttpServer()).get('/metrics').set('Authorization', 'Bearer not-the-token').expect(401);
    await request(app.getHttpServer()).get('/metrics').set('Authorization', SCRAPER_TOKEN).expect(401);
  });

  it('answers a repeated GET with 304 when If-None-Match names its ETag', async () => {
    const first = await request(app.getHttpServer()).get('/api/v1/things/item').expect(200);
    const tag = first.headers.etag;
    expect(tag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    const again = await request(app.getHttpServer()).get('/api/v1/things/item').set('If-None-Match', tag).expect(304);
    expect(again.text).toBe('');
    await request(app.getHttpServer()).get('/api/v1/things/item').set('If-None-Match', 'W/"0-x"').expect(200);
  });

  it('logs one line per request with its id, method, URL, status and time; none for probes', async () => {
    lines.length = 0;
    await request(app.getHttpServer()).get('/api/v1/things/item').set('x-request-id', 'log-1').expect(200);
    await request(app.getHttpServer()).get('/health/live').expect(200);
    const logged = lines.filter((l) => l.msg === 'request completed');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 30,
      req: { id: 'log-1', method: 'GET', url: '/api/v1/things/item' },
      res: { statusCode: 200 },
    });
    expect(typeof logged[0].responseTime).toBe('number');
  });

  it('matches a path with a trailing slash or in another case, as Express does', async () => {
    await request(app.getHttpServer()).get('/api/v1/things/item/').expect(200);
    await request(app.getHttpServer()).get('/api/v1/THINGS/item').expect(200);
  });

  it('serves its OpenAPI document at /docs-json with prefixed paths', async () => {
    const res = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/things', '/health/live']));
  });

  it('answers a head over 16 KiB with 431 and closes without resetting a client that is still sending', async () => {
    const server: Server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // 40 KiB of URL and 1 MiB of headers, written in pieces: the server answers after 16 KiB while the
    // client is still sending, and what it leaves unread must not turn into a reset (Node's own answer).
    const received = await rawExchange(port, [
      `GET /api/v1/things/${'a'.repeat(40_000)} HTTP/1.1\r\nHost: x\r\n`,
      ...Array.from({ length: 64 }, () => `X-Filler: ${'b'.repeat(16_000)}\r\n`),
    ]);
    expect(received.error).toBeUndefined();
    expect(received.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(received.text.split('\r\n\r\n')[1])).toMatchObject({ statusCode: 431 });
  });

  it('answers a malformed request with 400 in the error shape', async () => {
    const server: Server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const received = await rawExchange((server.address() as AddressInfo).port, ['NOT HTTP AT ALL\r\n\r\n']);
    expect(received.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(received.text.split('\r\n\r\n')[1])).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Malformed HTTP request',
    });
  });
});

/** Writes `chunks` one by one on a raw socket and collects the answer until the server closes. */
function rawExchange(port: number, chunks: string[]): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (chunk: Buffer) => parts.push(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    socket.on('close', () => resolve({ text: Buffer.concat(parts).toString('utf8'), error }));
    const writeNext = (i: number): void => {
      if (i >= chunks.length || !socket.writable) return;
      socket.write(chunks[i], () => setImmediate(() => writeNext(i + 1)));
    };
    socket.on('connect', () => writeNext(0));
  });
}

describe.each(['express', 'fastify'] as const)('createServiceApp on %s without METRICS_TOKEN', (http) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createServiceApp(SampleModule, { http, name: 'sample', port: 0, logger: pino({ level: 'silent' }) });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('has no /metrics at all (404), whatever the caller sends', async () => {
    await request(app.getHttpServer()).get('/metrics').expect(404);
    await request(app.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${SCRAPER_TOKEN}`).expect(404);
  });
});

@Controller('uploads')
class UploadsController {
  @Post()
  upload(@Req() req: { body: unknown }) {
    return { bytes: Buffer.isBuffer(req.body) ? req.body.length : null };
  }

  @Get('caller')
  caller(@Req() req: { ip?: string; protocol?: string }) {
    return { ip: req.ip, protocol: req.protocol };
  }
}

@Module({ controllers: [UploadsController, ThingsController] })
class UploadsModule {}

describe('createServiceApp with a raw-body route (Express)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createServiceApp(UploadsModule, {
      name: 'uploads',
      port: 0,
      bodyLimit: '1kb',
      rawBodyRoutes: [{ method: 'POST', path: '/api/v1/uploads', limit: 2048 }],
      logger: pino({ level: 'silent' }),
    });
    await app.init();
  });
  afterAll(() => app.close());

  it('reads that route’s non-JSON body as bytes up to its own limit', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/uploads')
      .set('content-type', 'text/csv')
      .send('a,b\n'.repeat(300))
      .expect(201);
    expect(res.body).toEqual({ bytes: 1200 });
    await request(app.getHttpServer())
      .post('/api/v1/uploads')
      .set('content-type', 'text/csv')
      .send('x'.repeat(3000))
      .expect(413);
  });

  it('still answers 415 to a non-JSON body anywhere else', async () => {
    await request(app.getHttpServer()).post('/api/v1/things').set('content-type', 'text/csv').send('a,b').expect(415);
  });
});

// The gateway's shape (issue 14, on Fastify since): bodies left unread for its proxy, the JSON-only rule
// except on the raw-body routes, and the caller's address from the proxies it trusts.
describe.each(['express', 'fastify'] as const)('createServiceApp that reads no body (the gateway) on %s', (http) => {
  const build = async (trustProxyHops: number) => {
    const app = await createServiceApp(UploadsModule, {
      http,
      name: 'edge',
      port: 0,
      parseJson: false,
      trustProxyHops,
      rawBodyRoutes: [{ method: 'POST', path: '/api/v1/uploads', limit: 2048 }],
      logger: pino({ level: 'silent' }),
    });
    await app.init();
    return app;
  };
  let app: INestApplication;
  beforeAll(async () => {
    app = await build(0);
  });
  afterAll(() => app.close());

  it('leaves a raw-body route’s body unread and lets it through the JSON-only rule', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/uploads')
      .set('content-type', 'text/csv')
      .send('a,b\n'.repeat(300))
      .expect(201);
    expect(res.body).toEqual({ bytes: null });
  });

  it('still answers 415 to a non-JSON body anywhere else', async () => {
    await request(app.getHttpServer()).post('/api/v1/things').set('content-type', 'text/csv').send('a,b').expect(415);
  });

  it('ignores X-Forwarded-* as the edge and believes one hop behind a load balancer', async () => {
    const forwarded = { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' };
    const edge = await request(app.getHttpServer()).get('/api/v1/uploads/caller').set(forwarded).expect(200);
    expect(edge.body).toEqual({ ip: expect.stringMatching(/127\.0\.0\.1/), protocol: 'http' });
    const behind = await build(1);
    try {
      const res = await request(behind.getHttpServer()).get('/api/v1/uploads/caller').set(forwarded).expect(200);
      expect(res.body).toEqual({ ip: '203.0.113.9', protocol: 'https' });
    } finally {
      await behind.close();
    }
  });
});
