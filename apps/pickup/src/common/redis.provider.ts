import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { PICKUP_CONFIG, type PickupConfig } from '../config';

/** The service's Redis connection; every key gets `REDIS_PREFIX`. */
@Injectable()
export class RedisConnection implements OnModuleDestroy {
  readonly client: Redis;

  constructor(@Inject(PICKUP_CONFIG) config: PickupConfig) {
    this.client = new Redis(config.REDIS_URL, { keyPrefix: config.REDIS_PREFIX, lazyConnect: false });
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.quit().catch(() => undefined);
  }
}
