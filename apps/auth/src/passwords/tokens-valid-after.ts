import { tokensValidAfterRedisKey } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { RedisConnection } from '@app/platform';

/** The marker outlives every token it can refuse, with room for clocks that disagree. */
const MIN_MARKER_TTL_MS = 24 * 60 * 60_000;

/**
 * Writes a user's "tokens valid after" marker to the shared Redis (under the deployment's prefix,
 * which this client adds), which every app's token verifier reads (libs/auth TokenRevocations).
 */
@Injectable()
export class TokensValidAfter {
  constructor(
    private readonly redis: RedisConnection,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async set(userId: string, at: Date): Promise<void> {
    const longestTokenMs =
      Math.max(this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS, this.config.AUTH_API_KEY_TOKEN_TTL_SECONDS) * 1000;
    await this.redis.client.set(
      tokensValidAfterRedisKey(userId),
      String(at.getTime()),
      'PX',
      Math.max(MIN_MARKER_TTL_MS, 2 * longestTokenMs),
    );
  }
}
