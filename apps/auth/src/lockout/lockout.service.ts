import { Inject, Injectable } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { RedisConnection } from '@app/platform';

/** The longest lock, and how long the lock level (repeat lockouts) is remembered. */
export const LOCKOUT_MAX_MS = 24 * 60 * 60_000;

// The one definition of the growing lock period (tested against real Redis in apps/auth/test).
// One round trip, atomic: count the failure in its window; at the limit set the lock for
// base * 2^(level-1) (capped) and raise the level, which survives a day so repeat offenders wait longer.
const REGISTER_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n >= tonumber(ARGV[2]) then
  local level = redis.call('INCR', KEYS[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[5])
  local d = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * (2 ^ (math.min(level, 17) - 1)))
  redis.call('SET', KEYS[2], n, 'PX', d)
  redis.call('DEL', KEYS[1])
  return {n, d}
end
return {n, 0}
`;

export interface LockoutState {
  /** ms left on the lock, 0 when not locked */
  lockedMs: number;
  /** failures or a lock level are on record */
  counted: boolean;
}

export interface FailureResult {
  failures: number;
  /** > 0 when this failure locked the key */
  lockedMs: number;
}

/** Login failure counters and locks in Redis, keyed by account (or by the login name when unknown). */
@Injectable()
export class LockoutService {
  constructor(
    private readonly redis: RedisConnection,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  /** Milliseconds left on the lock, 0 when not locked. */
  async lockedFor(key: string): Promise<number> {
    return (await this.state(key)).lockedMs;
  }

  /**
   * The lock left (ms, 0 when none) and whether failures or a lock level are on record, in one round
   * trip (auth's connection auto-pipelines): a login that succeeds clears them only when there is
   * something to clear.
   */
  async state(key: string): Promise<LockoutState> {
    // Two commands issued together rather than an explicit pipeline: the connection auto-pipelines, so
    // they share one write with whatever else the request reads from Redis in the same turn (a login's
    // user generation, LoginUserCache).
    const [ttl, counted] = await Promise.all([
      this.redis.client.pttl(`lockout:lock:${key}`),
      this.redis.client.exists(`lockout:fail:${key}`, `lockout:level:${key}`),
    ]);
    return { lockedMs: ttl > 0 ? ttl : 0, counted: counted > 0 };
  }

  async registerFailure(key: string): Promise<FailureResult> {
    const [failures, lockedMs] = (await this.redis.client.eval(
      REGISTER_FAILURE,
      3,
      `lockout:fail:${key}`,
      `lockout:lock:${key}`,
      `lockout:level:${key}`,
      this.config.AUTH_LOCKOUT_WINDOW_SECONDS * 1000,
      this.config.AUTH_LOCKOUT_MAX_FAILURES,
      this.config.AUTH_LOCKOUT_BASE_SECONDS * 1000,
      LOCKOUT_MAX_MS,
      LOCKOUT_MAX_MS,
    )) as [number, number];
    return { failures, lockedMs };
  }

  /** A successful login or a password reset clears the counters and any lock. */
  async reset(key: string): Promise<void> {
    await this.redis.client.del(`lockout:fail:${key}`, `lockout:lock:${key}`, `lockout:level:${key}`);
  }
}
