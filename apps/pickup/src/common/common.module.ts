import { Global, Module } from '@nestjs/common';
import { EventFactory } from './event-factory';
import { RedisLease } from './redis-lease';

/** Pickup's own shared injectables (the shell brings config, clock, ids and Redis). */
@Global()
@Module({ providers: [EventFactory, RedisLease], exports: [EventFactory, RedisLease] })
export class CommonModule {}
