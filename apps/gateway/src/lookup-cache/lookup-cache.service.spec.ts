import { EventEmitter } from 'node:events';
import type { RedisConnection } from '@app/platform';
import type { GatewayConfig } from '../config';
import { LIVENESS_MS, LookupCache, READ_MODEL_GRACE_MS } from './lookup-cache.service';

const NUMBER = '9205590000000000000000';
const PUBLIC_ANSWER = { etag: 'W/"1"', 'cache-control': 'public, no-cache', 'content-type': 'application/json' };

/** The cache's timing rules with the Redis connection replaced by a recorder: heartbeats are echoed by hand. */
function setUp() {
  const subscriber = Object.assign(new EventEmitter(), {
    subscribe: () => Promise.resolve(1),
    disconnect: () => undefined,
  });
  const published: string[] = [];
  const redis = {
    client: {
      duplicate: () => subscriber,
      publish: (_channel: string, message: string) => {
        published.push(message);
        return Promise.resolve(1);
      },
    },
  } as unknown as RedisConnection;
  const config = {
    REDIS_PREFIX: 'p:',
    GATEWAY_LOOKUP_CACHE_MAX_ENTRIES: 2,
    GATEWAY_LOOKUP_CACHE_TTL_MS: 60_000,
  } as GatewayConfig;
  const cache = new LookupCache(config, redis);
  cache.onModuleInit();
  /** Delivers a heartbeat of this gateway sent at `sentAt`, as Redis would echo it. */
  const echo = async (sentAt: number) => {
    await new Promise((resolve) => setTimeout(resolve, 250)); // one heartbeat published
    const own = published[0].replace(/\d+$/, String(sentAt));
    subscriber.emit('message', 'p:tracking:views-changed', own);
  };
  const announce = (numbers: string) => subscriber.emit('message', 'p:tracking:views-changed', numbers);
  const fillWith = (number: string, now: number, headers: Record<string, string> = PUBLIC_ANSWER) => {
    const fill = cache.beginFill(number, now);
    if (fill) cache.complete(fill, 200, headers, Buffer.from('{}'));
    return fill;
  };
  return { cache, subscriber, echo, announce, fillWith };
}

describe('LookupCache', () => {
  let cache: LookupCache;
  afterEach(() => cache?.onModuleDestroy());

  it('neither answers nor fills before its first heartbeat came back through Redis', () => {
    const t = setUp();
    cache = t.cache;
    expect(t.fillWith(NUMBER, Date.now())).toBeUndefined();
    expect(cache.get(NUMBER)).toBeUndefined();
  });

  it('answers while a heartbeat sent within the liveness window came back, and forgets everything after', async () => {
    const t = setUp();
    cache = t.cache;
    const now = Date.now();
    await t.echo(now);
    expect(t.fillWith(NUMBER, now)).toBeDefined();
    expect(cache.get(NUMBER, now + LIVENESS_MS)?.body.toString()).toBe('{}');
    expect(cache.get(NUMBER, now + LIVENESS_MS + 1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops an answer when its number is announced, and does not keep a fill that raced the announcement', async () => {
    const t = setUp();
    cache = t.cache;
    const now = Date.now();
    await t.echo(now);
    t.fillWith(NUMBER, now);
    t.announce(`OTHER,${NUMBER}`);
    expect(cache.get(NUMBER, now)).toBeUndefined();

    const fill = cache.beginFill(NUMBER, now)!;
    t.announce(NUMBER);
    cache.complete(fill, 200, PUBLIC_ANSWER, Buffer.from('{"old":true}'));
    expect(cache.get(NUMBER, now)).toBeUndefined();
  });

  it('keeps only 200 answers marked public without cookies or Vary, and at most the configured number', async () => {
    const t = setUp();
    cache = t.cache;
    const now = Date.now();
    await t.echo(now);
    t.fillWith('A', now, { ...PUBLIC_ANSWER, 'cache-control': 'no-store' });
    t.fillWith('B', now, { ...PUBLIC_ANSWER, 'cache-control': 'public, private' });
    t.fillWith('C', now, { ...PUBLIC_ANSWER, 'set-cookie': 'a=b' });
    t.fillWith('D', now, { ...PUBLIC_ANSWER, vary: 'Accept-Language' });
    const fill = cache.beginFill('E', now)!;
    cache.complete(fill, 404, PUBLIC_ANSWER, Buffer.from('{}'));
    expect(cache.size).toBe(0);
    for (const n of ['F', 'G', 'H']) t.fillWith(n, now);
    expect(cache.size).toBe(2);
    expect(cache.get('F', now)).toBeUndefined(); // the oldest went first
  });

  it('forgets everything when the subscription drops or the heartbeats had a gap', async () => {
    const t = setUp();
    cache = t.cache;
    const now = Date.now();
    await t.echo(now);
    t.fillWith(NUMBER, now);
    t.subscriber.emit('close');
    expect(cache.size).toBe(0);

    await t.echo(now);
    t.fillWith(NUMBER, now);
    // A heartbeat after a silence longer than the window: messages in between may be lost.
    await t.echo(now + LIVENESS_MS + 1);
    expect(cache.size).toBe(0);
  });

  it('serves only bodyless anonymous GETs of a normalised number without no-cache', () => {
    const t = setUp();
    cache = t.cache;
    const valid = '9205590100000000000018';
    const path = `/api/v1/tracking/${valid}`;
    expect(cache.keyOf('GET', path, {})).toBe(valid);
    expect(cache.keyOf('HEAD', path, {})).toBeUndefined();
    expect(cache.keyOf('GET', `${path}?x=1`, {})).toBeUndefined();
    expect(cache.keyOf('GET', path, { authorization: 'Bearer x' })).toBeUndefined();
    expect(cache.keyOf('GET', path, { 'x-api-key': 'k' })).toBeUndefined();
    expect(cache.keyOf('GET', path, { 'cache-control': 'no-cache' })).toBeUndefined();
    expect(cache.keyOf('GET', path, { 'content-length': '3' })).toBeUndefined();
    expect(cache.keyOf('GET', `/api/v1/tracking/${valid.slice(0, -1)}9`, {})).toBeUndefined(); // wrong check digit
  });

  it('evicts the oldest entry each time, refilled entries counting as new, across deletions and resets', async () => {
    const t = setUp();
    cache = t.cache;
    const now = Date.now();
    await t.echo(now);
    for (const n of ['A', 'B']) t.fillWith(n, now);
    t.fillWith('A', now); // refilled: now newer than B
    t.fillWith('C', now);
    expect(cache.get('B', now)).toBeUndefined();
    expect(cache.get('A', now)).toBeDefined();
    t.announce('A');
    for (const n of ['D', 'E']) t.fillWith(n, now);
    expect(['C', 'D', 'E'].map((n) => cache.get(n, now) !== undefined)).toEqual([false, true, true]);
    t.subscriber.emit('close');
    await t.echo(now);
    for (const n of ['F', 'G', 'H']) t.fillWith(n, now);
    expect(['F', 'G', 'H'].map((n) => cache.get(n, now) !== undefined)).toEqual([false, true, true]);
  });

  it('trusts the read model only once the channel has been live for the grace period since it last started', async () => {
    const t = setUp();
    cache = t.cache;
    const now = Date.now();
    await t.echo(now);
    expect(cache.readModelTrusted(now)).toBe(false);
    for (let at = now + LIVENESS_MS; at < now + READ_MODEL_GRACE_MS; at += LIVENESS_MS) await t.echo(at);
    await t.echo(now + READ_MODEL_GRACE_MS);
    expect(cache.readModelTrusted(now + READ_MODEL_GRACE_MS)).toBe(true);
    // A gap in the heartbeats starts it again from empty: the grace runs anew.
    await t.echo(now + READ_MODEL_GRACE_MS + LIVENESS_MS + 1);
    expect(cache.readModelTrusted(now + READ_MODEL_GRACE_MS + LIVENESS_MS + 1)).toBe(false);
  });
});
