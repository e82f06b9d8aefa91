import Fastify, { type FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import request from 'supertest';
import { WEB_CSP, webCsp } from '@app/platform';
import { SERVICE_WORKER_FILE, webStatic } from './web-static';

/** The portal's files as the gateway serves them: a request hook for what no route answers, then a 404 handler. */
async function appServing(dir: string, csp?: string): Promise<FastifyInstance> {
  const web = webStatic(dir, csp === undefined ? {} : { csp })!;
  const app = Fastify({ routerOptions: { ignoreTrailingSlash: true, caseSensitive: false } });
  app.addHook('onRequest', async (req, reply) => {
    // The API's policy on every answer first, as the gateway's security headers do.
    void reply.header('Content-Security-Policy', "default-src 'none'");
    if (req.is404) await web.serve(req, reply, req.url.split('?')[0]);
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ statusCode: 404, message: 'not found by the next handler' }),
  );
  await app.ready();
  return app;
}

describe('webStatic', () => {
  let dir: string;
  let fastify: FastifyInstance;
  let app: FastifyInstance['server'];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-static-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>portal</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    // Vite's hashes mix cases: the router ignores case, the file name must not.
    fs.writeFileSync(path.join(dir, 'assets', 'index-Bq3xZ9.css'), 'body{}');
    fs.writeFileSync(path.join(dir, '.env'), 'SECRET=1');
    fs.writeFileSync(path.join(dir, '.secret.json'), '{"SECRET":1}');
    fs.writeFileSync(path.join(dir, SERVICE_WORKER_FILE), 'self.addEventListener("fetch", () => {})');
    fs.writeFileSync(path.join(dir, 'manifest.webmanifest'), '{"name":"portal"}');
    fastify = await appServing(dir);
    app = fastify.server;
  });

  afterAll(async () => {
    await fastify.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with a content security policy', async () => {
    const res = await request(app).get('/').expect(200);
    expect(res.text).toContain('<title>portal</title>');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('gives /index.html, asked for by name, the same policy', async () => {
    const res = await request(app).get('/index.html').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toBe(WEB_CSP);
    const head = await request(app).head('/index.html').expect(200);
    expect(head.headers['content-security-policy']).toBe(WEB_CSP);
  });

  // Installable app (issue 20)
  it("serves the service worker as JavaScript, revalidated on every visit, under the page's policy", async () => {
    const res = await request(app).get(`/${SERVICE_WORKER_FILE}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    // The worker's fetches (the app shell) follow this policy: the API's default-src 'none' would block them.
    expect(res.headers['content-security-policy']).toBe(WEB_CSP);
  });

  it('serves the web app manifest as application/manifest+json, revalidated on every visit', async () => {
    const res = await request(app).get('/manifest.webmanifest').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/manifest\+json/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'");
  });

  it('sends the build-time gzip copy to a browser that accepts gzip, the file itself otherwise', async () => {
    const source = `console.log(${JSON.stringify('x'.repeat(2000))})`;
    const zippedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-static-gz-'));
    fs.mkdirSync(path.join(zippedDir, 'assets'));
    fs.writeFileSync(path.join(zippedDir, 'index.html'), '<!doctype html><title>portal</title>');
    fs.writeFileSync(path.join(zippedDir, 'assets', 'big-5678.js'), source);
    fs.writeFileSync(path.join(zippedDir, 'assets', 'big-5678.js.gz'), zlib.gzipSync(source));
    const zipped = await appServing(zippedDir);
    try {
      const res = await request(zipped.server)
        .get('/assets/big-5678.js')
        .set('Accept-Encoding', 'gzip, br')
        .expect(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['content-type']).toMatch(/^text\/javascript/);
      expect(res.headers['cache-control']).toContain('immutable');
      expect(res.headers.vary).toContain('Accept-Encoding');
      expect(res.text).toBe(source);
      const plain = await request(zipped.server)
        .get('/assets/big-5678.js')
        .set('Accept-Encoding', 'identity')
        .expect(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.text).toBe(source);
    } finally {
      await zipped.close();
      fs.rmSync(zippedDir, { recursive: true, force: true });
    }
  });

  it('answers client-side routes with index.html', async () => {
    const res = await request(app).get('/pickups').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toBe(WEB_CSP);
  });

  it('serves hashed assets with a long cache lifetime', async () => {
    const res = await request(app).get('/assets/app-1234.js').expect(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('gives a 404 for a missing asset instead of the page', async () => {
    await request(app).get('/assets/gone-9999.js').expect(404);
  });

  it('finds an asset whose name mixes cases', async () => {
    const res = await request(app).get('/assets/index-Bq3xZ9.css').expect(200);
    expect(res.text).toBe('body{}');
  });

  it('never serves dot files or files outside its directory', async () => {
    // Without an extension it is a page path (the portal's HTML), as with Express's static files.
    expect((await request(app).get('/.env').expect(200)).text).not.toContain('SECRET');
    await request(app).get('/.secret.json').expect(404);
    const res = await request(app).get('/assets/..%2f..%2fetc%2fpasswd.txt');
    expect([403, 404]).toContain(res.status);
  });

  it.each([
    '/api/v1/nothing',
    '/api',
    '/health/live',
    '/metrics',
    '/admin/queues',
    '/admin/queues/api/queues',
    '/.well-known/jwks.json',
  ])('never shadows %s', async (p) => {
    const res = await request(app).get(p).expect(404);
    expect(res.body.message).toBe('not found by the next handler');
  });

  it('leaves other methods to the API', async () => {
    await request(app).post('/dashboard').expect(404);
  });

  it('is off when the directory has no build', () => {
    expect(webStatic(path.join(dir, 'missing'))).toBeUndefined();
  });

  // Card element (issue 17): Stripe.js, its card iframe and its API only when a publishable key is configured.
  it('serves the policy it is given (the Stripe one when a publishable key is configured)', async () => {
    const stripeApp = await appServing(dir, webCsp({ stripe: true }));
    try {
      for (const p of ['/', '/index.html', '/wallet']) {
        const res = await request(stripeApp.server).get(p).expect(200);
        expect(res.headers['content-security-policy']).toBe(webCsp({ stripe: true }));
      }
    } finally {
      await stripeApp.close();
    }
  });
});

describe('webCsp', () => {
  it('is same-origin only without Stripe (the policy of today)', () => {
    expect(webCsp()).toBe(WEB_CSP);
    expect(webCsp({ stripe: false })).toBe(WEB_CSP);
    expect(WEB_CSP).not.toContain('stripe');
    expect(WEB_CSP).toContain("script-src 'self';");
    expect(WEB_CSP).toContain("connect-src 'self';");
    expect(WEB_CSP).not.toContain('frame-src');
    // The installable app (issue 20): its service worker and manifest come from the portal itself.
    expect(WEB_CSP).toContain("worker-src 'self';");
    expect(WEB_CSP).toContain("manifest-src 'self';");
  });

  it('lets Stripe.js load, frame its card element and call its API, nothing more', () => {
    const csp = webCsp({ stripe: true });
    const directives = Object.fromEntries(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')] as const),
    );
    expect(directives['script-src']).toBe("'self' https://js.stripe.com");
    expect(directives['frame-src']).toBe('https://js.stripe.com');
    expect(directives['connect-src']).toBe("'self' https://api.stripe.com");
    expect(directives['default-src']).toBe("'self'");
    expect(directives['style-src']).toBe("'self'");
    expect(directives['frame-ancestors']).toBe("'none'");
  });
});
