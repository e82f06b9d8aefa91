import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { quotaReason, RedisConnection } from '@app/platform';

/** 429 carrying the seconds to wait, which the edge middleware puts in `Retry-After`. */
export class TooManyRequestsError extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    reason = 'Too many requests',
  ) {
    super(reason, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** What a request is, for the limits beyond the one on all routes. */
export interface RateLimitedRoute {
  isAuthRoute: boolean;
  trackingLookup?: 'single' | 'batch';
}

/** Per-IP limits shared by every gateway replica through Redis. */
@Injectable()
export class RateLimitService {
  private readonly all: RateLimiterRedis;
  private readonly auth: RateLimiterRedis;
  /** Public tracking lookups, single and batch in separate buckets: a client enumerating by batches cannot starve its own single lookups, nor the reverse. */
  private readonly trackingSingle: RateLimiterRedis;
  private readonly trackingBatch: RateLimiterRedis;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, redis: RedisConnection) {
    const make = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis.client,
        keyPrefix: `${config.REDIS_PREFIX}gateway:rl:${name}`,
        points,
        duration: 60,
        // While Redis is unreachable, limit per process instead of failing every request.
        insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
      });
    this.all = make('all', config.GATEWAY_RATE_LIMIT_PER_MINUTE);
    this.auth = make('auth', config.GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE);
    this.trackingSingle = make('tracking', config.GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE);
    this.trackingBatch = make('tracking-batch', config.GATEWAY_TRACKING_BATCH_RATE_LIMIT_PER_MINUTE);
    this.trackingReasons = {
      single: quotaReason('errors:quota_tracking_lookups', config.GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE),
      batch: quotaReason('errors:quota_tracking_batches', config.GATEWAY_TRACKING_BATCH_RATE_LIMIT_PER_MINUTE),
    };
  }

  private readonly trackingReasons: Record<'single' | 'batch', string>;

  async consume(ip: string, route: RateLimitedRoute): Promise<void> {
    await this.take(this.all, ip);
    if (route.isAuthRoute) await this.take(this.auth, ip);
    if (route.trackingLookup === 'single') await this.take(this.trackingSingle, ip, this.trackingReasons.single);
    if (route.trackingLookup === 'batch') await this.take(this.trackingBatch, ip, this.trackingReasons.batch);
  }

  private async take(limiter: RateLimiterRedis, ip: string, reason?: string): Promise<void> {
    try {
      await limiter.consume(ip);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new TooManyRequestsError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), reason);
      }
      throw rejection;
    }
  }
}
