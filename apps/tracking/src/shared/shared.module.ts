import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TRACKING_CONFIG, type TrackingConfig } from '../config';
import { KeyedLock } from '@app/messaging';
import { RedisConnection, Clock, IdGenerator } from '@app/platform';

/** Config and the side-effect injectables (clock, ids, Redis) every feature uses. */
@Global()
@Module({})
export class SharedModule {
  static forRoot(config: TrackingConfig): DynamicModule {
    const redis = {
      provide: RedisConnection,
      // Lookups fall back to the store: a command fails at once rather than wait for Redis to come back.
      useFactory: () => new RedisConnection({ url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX, failFast: true }),
    };
    const providers = [{ provide: TRACKING_CONFIG, useValue: config }, Clock, IdGenerator, KeyedLock, redis];
    return { module: SharedModule, providers, exports: providers };
  }
}
