import { Global, Module } from '@nestjs/common';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { EventFactory } from './event-factory';
import { RedisLease } from './redis-lease';
import { Clock, IdGenerator, RedisConnection } from '@app/platform';

/** The service's side-effect injectables and its validated config. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: PickupConfig) {
    return {
      module: CommonModule,
      providers: [
        { provide: PICKUP_CONFIG, useValue: config },
        Clock,
        IdGenerator,
        EventFactory,
        {
          provide: RedisConnection,
          useFactory: () => new RedisConnection({ url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX }),
        },
        RedisLease,
      ],
      exports: [PICKUP_CONFIG, Clock, IdGenerator, EventFactory, RedisConnection, RedisLease],
    };
  }
}
