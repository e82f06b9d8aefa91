import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { RedisClient } from '../redis/redis.provider';

/** 429 carrying the seconds to wait, which the edge middleware puts in `Retry-After`. */
export class TooManyRequestsError extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many requests', HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** Per-IP limits shared by every gateway replica through Redis. */
@Injectable()
export class RateLimitService {
  private readonly all: RateLimiterRedis;
  private readonly auth: RateLimiterRedis;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, client: RedisClient) {
    const make = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: client.redis,
        keyPrefix: `${config.REDIS_PREFIX}gateway:rl:${name}`,
        points,
        duration: 60,
        // While Redis is unreachable, limit per process instead of failing every request.
        insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
      });
    this.all = make('all', config.GATEWAY_RATE_LIMIT_PER_MINUTE);
    this.auth = make('auth', config.GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE);
  }

  async consume(ip: string, isAuthRoute: boolean): Promise<void> {
    await this.take(this.all, ip);
    if (isAuthRoute) await this.take(this.auth, ip);
  }

  private async take(limiter: RateLimiterRedis, ip: string): Promise<void> {
    try {
      await limiter.consume(ip);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new TooManyRequestsError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
  }
}
