import { apiKeyRevokedRedisKey } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { RedisConnection } from '@app/platform';

/** Whether an API key was revoked, from the marker the auth service sets in the shared Redis. */
@Injectable()
export class ApiKeyRevocations {
  constructor(
    private readonly redis: RedisConnection,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** True when revoked, false when not, undefined when Redis cannot tell (then auth must decide). */
  async isRevoked(apiKeyId: string): Promise<boolean | undefined> {
    try {
      return (await this.redis.client.exists(`${this.config.REDIS_PREFIX}${apiKeyRevokedRedisKey(apiKeyId)}`)) === 1;
    } catch {
      return undefined;
    }
  }
}
