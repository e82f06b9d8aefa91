import { checkTrackingNumber, TRACKING_VIEWS_CHANGED_CHANNEL, TRACKING_VIEWS_HEARTBEAT_PREFIX } from '@app/contracts';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RedisConnection } from '@app/platform';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/** The single public lookup, exactly as the web portal and the clients ask it (no query). */
const LOOKUP_PATH = /^\/api\/v1\/tracking\/([A-Za-z0-9]+)$/;
/** How often the gateway publishes its heartbeat on the change channel. */
export const HEARTBEAT_INTERVAL_MS = 200;
/**
 * The cache answers only while a heartbeat sent at most this long ago has come back through Redis: every change
 * announced before that heartbeat has then been applied here (one channel, delivered in order). A Redis that
 * hangs or a lost subscription stops the cache within this time, well inside the one-second visibility rule.
 */
export const LIVENESS_MS = 600;
/**
 * How long the cache must have been live, after it last started from empty, before misses may be read from
 * tracking's read model directly: a Redis that restarted or failed over may hold views older than the store for
 * the moment tracking takes to reconnect and drop the views it wrote just before (ioredis retries at most every
 * 2 s, tracking drops once a second after that), and tracking alone knows which.
 */
export const READ_MODEL_GRACE_MS = 5000;
/** The largest body kept (a view with a long history is a few KiB). */
const MAX_BODY_BYTES = 64 * 1024;
/** Upstream headers a cached answer repeats; the gateway's own hooks set the rest (request id, CORS, security). */
const KEPT_HEADERS = ['content-type', 'etag', 'cache-control', 'content-language'] as const;

export interface CachedLookup {
  body: Buffer;
  etag: string;
  headers: Record<string, string>;
  expiresAt: number;
}

/** A fill in flight: stored only if no change of its number (nor a reset) was heard since it started. */
export interface LookupFill {
  trackingNumber: string;
  token: symbol;
  generation: number;
}

/**
 * The edge cache of public tracking lookups (`GET /api/v1/tracking/:number`, anonymous callers only): the
 * answers tracking marks `Cache-Control: public`, kept in this process, dropped as soon as tracking announces
 * a change of their view on Redis (TRACKING_VIEWS_CHANGED_CHANNEL), and entirely whenever that channel may
 * have missed a message. A request with credentials never reads or fills it: nothing private is shared.
 */
@Injectable()
export class LookupCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LookupCache.name);
  /** Insertion order is age order: the oldest entry goes first when the cache is full. */
  private readonly entries = new Map<string, CachedLookup>();
  private readonly fills = new Map<string, symbol>();
  /**
   * One iterator over the keys kept from one eviction to the next: every key it has passed was evicted (or moved to
   * the end by a later fill, where it meets it again), so its next key is the oldest. A fresh `keys()` per eviction
   * walked over every deleted slot the map had not compacted yet (3.6 % of the gateway's profile, session 13).
   */
  private evictionCursor: MapIterator<string> | undefined;
  /** Bumped by every reset: fills started before it are not stored. */
  private generation = 0;
  private subscriber: Redis | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Send time (epoch ms) of the latest own heartbeat that came back; 0: none since the last reset. */
  private confirmedAt = 0;
  /** Send time (epoch ms) of the first own heartbeat that came back after the last reset; 0: none yet. */
  private liveSince = 0;
  private readonly channel: string;
  /** The subscriber's Redis client name (`CLIENT LIST`). */
  readonly subscriberName: string;
  private readonly heartbeatPrefix = `${TRACKING_VIEWS_HEARTBEAT_PREFIX}${randomUUID()}:`;
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly redis: RedisConnection,
  ) {
    this.channel = `${config.REDIS_PREFIX}${TRACKING_VIEWS_CHANGED_CHANNEL}`;
    this.subscriberName = `gateway-lookup-cache-${randomUUID().slice(0, 8)}`;
    this.maxEntries = config.GATEWAY_LOOKUP_CACHE_MAX_ENTRIES;
    this.ttlMs = config.GATEWAY_LOOKUP_CACHE_TTL_MS;
  }

  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    // A subscribed connection can send nothing else: its own, beside the shared one that publishes heartbeats.
    const subscriber = this.redis.client.duplicate({
      enableOfflineQueue: true,
      commandTimeout: undefined,
      connectionName: this.subscriberName,
    });
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    // Messages published while the connection was down are lost: nothing cached before may be trusted.
    subscriber.on('close', () => this.reset());
    subscriber.on('message', (_channel: string, message: string) => this.heard(message));
    subscriber.subscribe(this.channel).catch((error: unknown) => {
      this.logger.warn(
        `lookup cache off until Redis answers: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    this.heartbeat = setInterval(() => {
      this.redis.client.publish(this.channel, `${this.heartbeatPrefix}${Date.now()}`).catch(() => undefined);
    }, HEARTBEAT_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    this.subscriber?.disconnect();
    this.reset();
  }

  /**
   * The tracking number when this request may be answered from (or fill) the cache: a bodyless GET of the single
   * lookup with the number in its normal form, no credentials, and no `Cache-Control: no-cache` asking for the origin.
   */
  keyOf(method: string, url: string, headers: IncomingHttpHeaders): string | undefined {
    if (!this.enabled || method !== 'GET') return undefined;
    const match = LOOKUP_PATH.exec(url);
    if (!match) return undefined;
    if (headers.authorization !== undefined || headers['x-api-key'] !== undefined) return undefined;
    if (headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0) return undefined;
    const cacheControl = headers['cache-control'];
    if (cacheControl !== undefined && /no-cache|no-store/i.test(String(cacheControl))) return undefined;
    const check = checkTrackingNumber(match[1]);
    return check.valid && check.trackingNumber === match[1] ? match[1] : undefined;
  }

  /** The cached answer, while the cache is known to have heard every change announced. */
  get(trackingNumber: string, now = Date.now()): CachedLookup | undefined {
    if (!this.live(now)) return undefined;
    const entry = this.entries.get(trackingNumber);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry;
    this.entries.delete(trackingNumber);
    return undefined;
  }

  /**
   * Whether a miss may be answered from tracking's read model in Redis: the change channel is live and has been
   * for READ_MODEL_GRACE_MS (a hung Redis is not waited on per request; a restarted one has been repaired).
   */
  readModelTrusted(now = Date.now()): boolean {
    return this.live(now) && this.liveSince !== 0 && now - this.liveSince >= READ_MODEL_GRACE_MS;
  }

  /** Starts filling a miss; undefined when the cache cannot be trusted now (nothing will be stored). */
  beginFill(trackingNumber: string, now = Date.now()): LookupFill | undefined {
    if (!this.live(now)) return undefined;
    const token = Symbol(trackingNumber);
    this.fills.set(trackingNumber, token);
    return { trackingNumber, token, generation: this.generation };
  }

  /**
   * Stores tracking's answer to a fill: only a 200 that says `public`, sets no cookie and does not vary, and only
   * if no change of that number was announced since the fill began.
   */
  complete(fill: LookupFill, status: number, headers: IncomingHttpHeaders, body: Buffer | undefined): void {
    const current = this.fills.get(fill.trackingNumber) === fill.token && fill.generation === this.generation;
    if (this.fills.get(fill.trackingNumber) === fill.token) this.fills.delete(fill.trackingNumber);
    if (!current || status !== 200 || !body) return;
    const etag = headers.etag;
    const cacheControl = String(headers['cache-control'] ?? '');
    if (!etag || !/(^|,)\s*public\s*(,|$)/i.test(cacheControl) || /private|no-store/i.test(cacheControl)) return;
    if (headers['set-cookie'] !== undefined || headers.vary !== undefined) return;
    const kept: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = headers[name];
      if (typeof value === 'string') kept[name] = value;
    }
    this.entries.delete(fill.trackingNumber);
    this.entries.set(fill.trackingNumber, { body, etag, headers: kept, expiresAt: Date.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.evictOldest();
  }

  private evictOldest(): void {
    let next = this.evictionCursor?.next();
    if (!next || next.done) {
      this.evictionCursor = this.entries.keys();
      next = this.evictionCursor.next();
    }
    if (!next.done) this.entries.delete(next.value);
  }

  /** The most body bytes a fill collects. */
  get maxBodyBytes(): number {
    return MAX_BODY_BYTES;
  }

  /** Entries held now (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private live(now: number): boolean {
    if (this.confirmedAt !== 0 && now - this.confirmedAt <= LIVENESS_MS) return true;
    // Silent for too long: whatever was announced meanwhile may be missed.
    if (this.confirmedAt !== 0 || this.entries.size > 0) this.reset();
    return false;
  }

  private heard(message: string): void {
    if (message.startsWith(this.heartbeatPrefix)) {
      const sentAt = Number(message.slice(this.heartbeatPrefix.length));
      // A gap longer than the liveness window may hide a lost message: start again from empty.
      if (this.confirmedAt !== 0 && sentAt - this.confirmedAt > LIVENESS_MS) this.reset();
      if (sentAt > this.confirmedAt) this.confirmedAt = sentAt;
      if (this.liveSince === 0) this.liveSince = sentAt;
      return;
    }
    if (message.startsWith(TRACKING_VIEWS_HEARTBEAT_PREFIX)) return; // another gateway's heartbeat
    for (const trackingNumber of message.split(',')) {
      this.entries.delete(trackingNumber);
      this.fills.delete(trackingNumber);
    }
  }

  private reset(): void {
    this.entries.clear();
    this.fills.clear();
    this.generation++;
    this.confirmedAt = 0;
    this.liveSince = 0;
  }
}
