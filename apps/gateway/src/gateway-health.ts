import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthRegistry, RedisConnection } from '@app/platform';

/** The gateway is ready when Redis answers; each service reports its own readiness. */
@Injectable()
export class GatewayHealth implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly redis: RedisConnection,
  ) {}

  onModuleInit(): void {
    this.health.register('redis', () => this.redis.ping());
  }
}
