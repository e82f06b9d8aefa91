import { TRACKING_VIEW_CACHE_CONTROL, trackingViewJsonOf, trackingViewKey } from '@app/contracts';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RedisConnection, weakEtag } from '@app/platform';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/** A public view read from the read model, as tracking would answer it. */
export interface ReadView {
  body: Buffer;
  etag: string;
  /** The headers tracking sends with a view (the gateway's own hooks set the rest). */
  headers: Record<string, string>;
}

/**
 * Reads tracking's read model in Redis (issue 14) for an anonymous public lookup the edge cache does not hold: one
 * GET instead of a hop to tracking. Tracking stays the only writer of the views; anything but a public view in the
 * entry (no entry, a number the store does not know, a Redis that fails) is left to tracking, which rebuilds
 * misses from the store and answers 404s. The answer is tracking's, byte for byte: the view's JSON as stored, its
 * weak ETag, `public, no-cache`.
 */
@Injectable()
export class TrackingViewReader implements OnModuleInit, OnModuleDestroy {
  private client: Redis | undefined;
  private readonly keyPrefix: string;
  readonly enabled: boolean;
  /** The reader's Redis client name (`CLIENT LIST`). */
  readonly connectionName = `gateway-tracking-views-${randomUUID().slice(0, 8)}`;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly redis: RedisConnection,
  ) {
    this.keyPrefix = config.REDIS_PREFIX;
    this.enabled = config.GATEWAY_LOOKUP_READ_MODEL;
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    // Its own connection with auto-pipelining: the GETs of one event-loop turn leave in one write, and the
    // shared connection's other commands (rate-limit flushes, heartbeats) are not batched with them.
    const client = this.redis.client.duplicate({ enableAutoPipelining: true, connectionName: this.connectionName });
    client.on('error', () => undefined);
    this.client = client;
  }

  onModuleDestroy(): void {
    this.client?.disconnect();
  }

  /** The view of a valid, normalised number when the read model holds a public one; undefined: ask tracking. */
  async read(trackingNumber: string): Promise<ReadView | undefined> {
    if (!this.client) return undefined;
    let entry: string | null;
    try {
      entry = await this.client.get(`${this.keyPrefix}${trackingViewKey(trackingNumber)}`);
    } catch {
      return undefined; // tracking has the store to fall back on
    }
    const json = entry === null ? null : trackingViewJsonOf(entry);
    if (json === null) return undefined;
    const body = Buffer.from(json);
    const etag = weakEtag(body);
    return {
      body,
      etag,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': TRACKING_VIEW_CACHE_CONTROL,
        etag,
      },
    };
  }
}
