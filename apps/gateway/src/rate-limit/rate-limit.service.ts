import { HttpException, HttpStatus, Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { quotaReason, RedisConnection } from '@app/platform';
import { SharedWindowCounter } from './shared-window-counter';

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

/**
 * Per-IP limits per minute shared by every gateway replica through Redis: counted in the process and added to
 * Redis in batches (SharedWindowCounter), so a request costs no Redis round trip of its own. The keys and their
 * meaning are rate-limiter-flexible's, which counted one round trip per request before.
 */
@Injectable()
export class RateLimitService implements OnModuleDestroy {
  private readonly all: SharedWindowCounter;
  private readonly auth: SharedWindowCounter;
  /** Public tracking lookups, single and batch in separate buckets: a client enumerating by batches cannot starve its own single lookups, nor the reverse. */
  private readonly trackingSingle: SharedWindowCounter;
  private readonly trackingBatch: SharedWindowCounter;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, redis: RedisConnection) {
    const make = (name: string, points: number) =>
      new SharedWindowCounter(redis.client, `${config.REDIS_PREFIX}gateway:rl:${name}:`, points);
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

  onModuleDestroy(): void {
    for (const counter of [this.all, this.auth, this.trackingSingle, this.trackingBatch]) counter.stop();
  }

  /** Throws TooManyRequestsError when a limit of this route is used up for this IP. */
  consume(ip: string, route: RateLimitedRoute): void {
    this.take(this.all, ip);
    if (route.isAuthRoute) this.take(this.auth, ip);
    if (route.trackingLookup === 'single') this.take(this.trackingSingle, ip, this.trackingReasons.single);
    if (route.trackingLookup === 'batch') this.take(this.trackingBatch, ip, this.trackingReasons.batch);
  }

  private take(counter: SharedWindowCounter, ip: string, reason?: string): void {
    const decision = counter.take(ip);
    if (!decision.allowed) throw new TooManyRequestsError(decision.retryAfterSeconds, reason);
  }
}
