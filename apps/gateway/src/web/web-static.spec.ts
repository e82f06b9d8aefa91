import express from 'express';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { WEB_CSP } from '@app/platform';
import { webStatic } from './web-static';

describe('webStatic', () => {
  let dir: string;
  let app: express.Express;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-static-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>portal</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    app = express();
    app.use(webStatic(dir)!);
    app.use((_req, res) => res.status(404).json({ statusCode: 404, message: 'not found by the next handler' }));
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

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
});
