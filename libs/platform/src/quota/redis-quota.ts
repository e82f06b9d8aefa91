import { HttpException, HttpStatus } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { serverT } from '../i18n/server-i18n';

/** One counter: at most `points` uses per `durationSeconds`, a fixed window opened by the first use. */
export interface QuotaLimit {
  /** Names the counter in Redis: one name per limit. */
  name: string;
  points: number;
  durationSeconds: number;
  /** Told to the caller when this limit refuses (the 429's message). */
  reason: string;
}

/** One use to count: a limit and the key it is counted under (an account, a phone number, an address). */
export interface QuotaUse {
  limit: QuotaLimit;
  key: string;
}

export interface QuotaRefusal {
  limit: QuotaLimit;
  retryAfterSeconds: number;
}

/** 429 with the reason and the seconds to wait (the shared error filter sends them as `Retry-After`). */
export class QuotaExceededException extends HttpException {
  constructor(
    readonly reason: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ message: reason, retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Per-key quotas in Redis (rate-limiter-flexible: one atomic INCR-with-expiry per counter), so every
 * replica counts against the same numbers. A use is counted on all its limits or on none: a refused
 * request gives back what it took, so retrying while refused does not use up a longer window (the
 * day's SMS, say). Two racing requests can both be refused near a limit, never both let through.
 */
export class RedisQuota {
  private readonly limiters = new Map<string, RateLimiterRedis>();

  /** `keyPrefix` goes before every counter key, after any prefix the client itself adds. */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = 'quota',
  ) {}

  /**
   * Counts one use on every limit, or counts none and returns a refusal: the first limit (in the
   * order given) that refused, and the longest wait of those that did.
   */
  async tryTake(uses: readonly QuotaUse[]): Promise<QuotaRefusal | undefined> {
    const taken: { limiter: RateLimiterRedis; key: string }[] = [];
    let refusal: QuotaRefusal | undefined;
    try {
      for (const { limit, key } of uses) {
        const limiter = this.limiter(limit);
        try {
          await limiter.consume(key);
          taken.push({ limiter, key });
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          // rate-limiter-flexible counts the refused use too: it is given back below.
          taken.push({ limiter, key });
          const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          // The first limit refusing is the reason; the wait is the longest, so a retry then passes them all.
          refusal = {
            limit: refusal?.limit ?? limit,
            retryAfterSeconds: Math.max(retryAfterSeconds, refusal?.retryAfterSeconds ?? 0),
          };
        }
      }
    } catch (error) {
      await this.giveBack(taken);
      throw error;
    }
    if (refusal) await this.giveBack(taken);
    return refusal;
  }

  /** Like `tryTake`, but a refusal is thrown as a 429 with `Retry-After` and the limit's reason. */
  async take(uses: readonly QuotaUse[]): Promise<void> {
    const refusal = await this.tryTake(uses);
    if (refusal) throw new QuotaExceededException(refusal.limit.reason, refusal.retryAfterSeconds);
  }

  private async giveBack(taken: { limiter: RateLimiterRedis; key: string }[]): Promise<void> {
    await Promise.all(taken.map(({ limiter, key }) => limiter.reward(key, 1)));
  }

  private limiter(limit: QuotaLimit): RateLimiterRedis {
    let limiter = this.limiters.get(limit.name);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${this.keyPrefix}:${limit.name}`,
        points: limit.points,
        duration: limit.durationSeconds,
      });
      this.limiters.set(limit.name, limiter);
    }
    return limiter;
  }
}

const DURATION_KEYS = {
  seconds: 'errors:duration_seconds',
  minutes: 'errors:duration_minutes',
  hours: 'errors:duration_hours',
  days: 'errors:duration_days',
} as const;

/**
 * A quota window in English words (`90 seconds`, `15 minutes`, `24 hours`, `30 days`), written from the
 * catalogue's duration texts so that the error filter can read it back and say it in the caller's language.
 * Under two minutes in seconds, under two hours in minutes, under two days in hours, else in days.
 */
export function quotaWindow(seconds: number): string {
  const [unit, count]: [keyof typeof DURATION_KEYS, number] =
    seconds < 120
      ? ['seconds', seconds]
      : seconds < 7200
        ? ['minutes', Math.round(seconds / 60)]
        : seconds < 2 * 86_400
          ? ['hours', Math.round(seconds / 3600)]
          : ['days', Math.round(seconds / 86_400)];
  return serverT('en')(DURATION_KEYS[unit], { count });
}

/** A quota's refusal in English from its catalogue key (`errors:quota_…`), for `QuotaLimit.reason`. */
export function quotaReason(key: `errors:quota_${string}`, count: number, windowSeconds?: number): string {
  return serverT('en')(key, { count, ...(windowSeconds === undefined ? {} : { window: quotaWindow(windowSeconds) }) });
}

/** A limit of `points` uses per `durationSeconds`, refused with its catalogue sentence (`quotaReason`). */
export function quotaLimit(
  name: string,
  reasonKey: `errors:quota_${string}`,
  points: number,
  durationSeconds: number,
): QuotaLimit {
  return { name, points, durationSeconds, reason: quotaReason(reasonKey, points, durationSeconds) };
}
