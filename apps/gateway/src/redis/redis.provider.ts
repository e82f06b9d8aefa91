import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/** The gateway's Redis connection (rate-limit counters). */
@Injectable()
export class RedisClient implements OnModuleInit, OnModuleDestroy {
  readonly redis: Redis;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.redis = new Redis(config.REDIS_URL, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    // Errors surface through readiness and the rate limiter's fallback; without a listener ioredis logs each one.
    this.redis.on('error', () => undefined);
  }

  /** Gives Redis a moment at boot so the first requests count there; a gateway without Redis still starts. */
  async onModuleInit(): Promise<void> {
    if (this.redis.status === 'ready') return;
    const ready = new Promise<void>((resolve) => this.redis.once('ready', () => resolve()));
    await Promise.race([ready, sleep(2000)]);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
