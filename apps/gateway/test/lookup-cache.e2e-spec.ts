import {
  computeImpbCheckDigit,
  encodeTrackingViewEntry,
  TRACKING_VIEWS_CHANGED_CHANNEL,
  trackingViewKey,
} from '@app/contracts';
import { weakEtag } from '@app/platform';
import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { waitFor } from '@app/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { loadGatewayConfig } from '../src/config';
import { createGatewayApp } from '../src/gateway';
import { LookupCache, READ_MODEL_GRACE_MS } from '../src/lookup-cache/lookup-cache.service';

let serial = 0;
function trackingNumber(): string {
  const body = `9205590${String(Date.now()).slice(-8)}${String(++serial).padStart(6, '0')}`;
  return body + computeImpbCheckDigit(body);
}

/**
 * The gateway's edge cache of public lookups against the real Redis (its change channel and heartbeats) and a
 * stub tracking service that answers like tracking does: `Cache-Control: public, no-cache`, a weak ETag, and a
 * version that moves when the test "changes" a parcel.
 */
describe('gateway edge cache of public tracking lookups (real Redis, stub tracking)', () => {
  let issuer: TestTokenIssuer;
  let tracking: Server;
  let app: NestFastifyApplication;
  let redis: Redis;
  let prefix: string;
  const calls: Array<{ url: string; headers: IncomingMessage['headers'] }> = [];
  /** Per number: the version tracking serves now. */
  const versions = new Map<string, number>();
  /** Numbers tracking answers without `public` (as for a private answer). */
  const privateAnswers = new Set<string>();

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    tracking = createServer((req, res) => {
      calls.push({ url: req.url ?? '', headers: req.headers });
      const number = (req.url ?? '').split('/').pop() ?? '';
      const version = versions.get(number) ?? 1;
      const body = JSON.stringify({ trackingNumber: number, version, owner: req.headers.authorization ? 'me' : null });
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('etag', `W/"${number}-${version}"`);
      res.setHeader('cache-control', privateAnswers.has(number) ? 'no-store' : 'public, no-cache');
      res.end(body);
    });
    await new Promise<void>((resolve) => tracking.listen(0, '127.0.0.1', resolve));
    const trackingUrl = `http://127.0.0.1:${(tracking.address() as AddressInfo).port}`;
    prefix = `test-${randomUUID()}:`;
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    app = await createGatewayApp(
      loadGatewayConfig({
        AUTH_URL: new URL(issuer.jwksUrl).origin,
        TRACKING_URL: trackingUrl,
        PICKUP_URL: trackingUrl,
        NOTIFICATIONS_URL: trackingUrl,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
      }),
      pino({ level: 'silent' }),
    );
    await app.listen(0, '127.0.0.1');
    redis = new Redis(redisUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await app?.close();
    tracking?.close();
    await issuer?.close();
  });

  const http = () => request(app.getHttpServer());
  const callsOf = (number: string) => calls.filter((c) => c.url.endsWith(number)).length;
  /** Asks until the cache answers (it starts once its first heartbeat came back through Redis). */
  const warm = (number: string) =>
    waitFor(async () => (await http().get(`/api/v1/tracking/${number}`).expect(200)).headers['x-cache'] === 'HIT', {
      description: `a cached answer for ${number}`,
    });

  it('answers a repeated lookup from memory, 304 to a caller holding it, until tracking announces a change', async () => {
    const number = trackingNumber();
    await warm(number);
    const before = callsOf(number);
    const hit = await http().get(`/api/v1/tracking/${number}`).set('x-request-id', 'cached-1').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['x-request-id']).toBe('cached-1');
    expect(hit.headers['cache-control']).toBe('public, no-cache');
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.body).toEqual({ trackingNumber: number, version: 1, owner: null });
    const etag = hit.headers.etag;
    expect(etag).toBe(`W/"${number}-1"`);
    const notModified = await http().get(`/api/v1/tracking/${number}`).set('if-none-match', etag).expect(304);
    expect(notModified.headers['x-cache']).toBe('HIT');
    expect(notModified.text).toBe('');
    expect(callsOf(number)).toBe(before);

    // Tracking changes the view and announces it: the very next lookup goes to tracking and sees it.
    versions.set(number, 2);
    await redis.publish(`${prefix}${TRACKING_VIEWS_CHANGED_CHANNEL}`, `${trackingNumber()},${number}`);
    const changed = await waitFor(
      async () => {
        const res = await http().get(`/api/v1/tracking/${number}`).expect(200);
        return res.headers['x-cache'] === 'MISS' && res;
      },
      { intervalMs: 10, timeoutMs: 2000, description: 'the announced change' },
    );
    expect(changed.body.version).toBe(2);
    await http().get(`/api/v1/tracking/${number}`).set('if-none-match', etag).expect(200);
  });

  it('never serves or stores an answer given to a caller with credentials, nor one tracking did not mark public', async () => {
    const number = trackingNumber();
    await warm(number);
    const token = await issuer.sign();
    const before = callsOf(number);
    for (let i = 0; i < 2; i++) {
      const own = await http().get(`/api/v1/tracking/${number}`).set('authorization', `Bearer ${token}`).expect(200);
      expect(own.headers['x-cache']).toBeUndefined();
      expect(own.body.owner).toBe('me');
      const keyed = await http().get(`/api/v1/tracking/${number}`).set('x-api-key', 'some-key');
      expect(keyed.headers['x-cache']).toBeUndefined();
    }
    expect(callsOf(number)).toBe(before + 2);
    // An anonymous caller still gets the shared answer, never the owner's.
    const shared = await http().get(`/api/v1/tracking/${number}`).expect(200);
    expect(shared.headers['x-cache']).toBe('HIT');
    expect(shared.body.owner).toBeNull();

    const unmarked = trackingNumber();
    privateAnswers.add(unmarked);
    for (let i = 0; i < 3; i++) {
      const res = await http().get(`/api/v1/tracking/${unmarked}`).expect(200);
      expect(res.headers['x-cache']).toBe('MISS');
    }
    expect(callsOf(unmarked)).toBe(3);

    // Routes of signed-in users under the same prefix are not lookups: never cached.
    for (let i = 0; i < 2; i++) {
      const mine = await http().get('/api/v1/tracking/watchlist').set('authorization', `Bearer ${token}`).expect(200);
      expect(mine.headers['x-cache']).toBeUndefined();
    }
  });

  it("answers a miss from tracking's read model in Redis, as tracking would, and a change there at once", async () => {
    const number = trackingNumber();
    const view = (statusCategory: string) => ({
      trackingNumber: number,
      status: 'In transit',
      statusCategory,
      events: [],
    });
    const key = `${prefix}${trackingViewKey(number)}`;
    await redis.set(key, encodeTrackingViewEntry(3, view('in_transit')));
    // The read model is trusted once the change channel has been live for a while after start.
    const cache = app.get(LookupCache);
    await waitFor(() => cache.readModelTrusted(), {
      timeoutMs: READ_MODEL_GRACE_MS + 5000,
      description: 'the read model trusted',
    });
    const first = await http().get(`/api/v1/tracking/${number}`).expect(200);
    expect(callsOf(number)).toBe(0);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.text).toBe(JSON.stringify(view('in_transit')));
    expect(first.headers.etag).toBe(weakEtag(JSON.stringify(view('in_transit'))));
    expect(first.headers['cache-control']).toBe('public, no-cache');
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    // Kept in the edge cache, revalidated with a 304, still without asking tracking.
    const hit = await http().get(`/api/v1/tracking/${number}`).set('if-none-match', first.headers.etag).expect(304);
    expect(hit.headers['x-cache']).toBe('HIT');

    // Tracking writes the new view, then announces it (one pipeline): the next lookup reads the new one.
    await redis.set(key, encodeTrackingViewEntry(4, view('out_for_delivery')));
    await redis.publish(`${prefix}${TRACKING_VIEWS_CHANGED_CHANNEL}`, number);
    const changed = await waitFor(
      async () => {
        const res = await http().get(`/api/v1/tracking/${number}`).expect(200);
        return res.body.statusCategory === 'out_for_delivery' && res;
      },
      { intervalMs: 10, timeoutMs: 1000, description: 'the announced change' },
    );
    expect(changed.headers['x-cache']).toBe('MISS');
    expect(callsOf(number)).toBe(0);

    // A caller with credentials still goes to tracking; so does a number the read model says is unknown.
    const token = await issuer.sign();
    const own = await http().get(`/api/v1/tracking/${number}`).set('authorization', `Bearer ${token}`).expect(200);
    expect(own.body.owner).toBe('me');
    expect(callsOf(number)).toBe(1);
    const unknown = trackingNumber();
    await redis.set(`${prefix}${trackingViewKey(unknown)}`, encodeTrackingViewEntry(0, null));
    await http().get(`/api/v1/tracking/${unknown}`).expect(200);
    expect(callsOf(unknown)).toBe(1);
    await redis.del(key, `${prefix}${trackingViewKey(unknown)}`);
  });

  it('forgets everything when its subscription to the change channel drops, and caches again once it is back', async () => {
    const number = trackingNumber();
    await warm(number);
    const cache = app.get(LookupCache);
    expect(cache.size).toBeGreaterThan(0);
    const clients = await redis.client('LIST');
    const id = /id=(\d+) .*name=(\S+)/
      .exec(
        String(clients)
          .split('\n')
          .find((line) => line.includes(`name=${cache.subscriberName} `)) ?? '',
      )
      ?.at(1);
    expect(id).toBeDefined();
    await redis.client('KILL', 'ID', id!);
    // A change announced while it was gone would be lost: nothing cached before may be served.
    await waitFor(() => cache.size === 0, { intervalMs: 10, description: 'the cache emptied' });
    const before = callsOf(number);
    const after = await http().get(`/api/v1/tracking/${number}`).expect(200);
    expect(after.headers['x-cache']).not.toBe('HIT');
    expect(callsOf(number)).toBe(before + 1);
    await warm(number);
  });
});
