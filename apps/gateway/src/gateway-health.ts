import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthRegistry } from '@app/platform';
import { RedisClient } from './redis/redis.provider';

/** The gateway is ready when Redis answers; each service reports its own readiness. */
@Injectable()
export class GatewayHealth implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly redis: RedisClient,
  ) {}

  onModuleInit(): void {
    this.health.register('redis', () => this.redis.ping());
  }
}
