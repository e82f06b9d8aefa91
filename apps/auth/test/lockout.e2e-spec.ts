import { randomBytes } from 'node:crypto';
import { RedisConnection } from '@app/platform';
import type { AuthConfig } from '../src/config';
import { LOCKOUT_MAX_MS, LockoutService } from '../src/lockout/lockout.service';

const HOUR_MS = 60 * 60_000;

/** The lockout script as production runs it, against the real Redis of the e2e setup. */
describe('LockoutService on real Redis', () => {
  let redis: RedisConnection;
  const service = (maxFailures: number, baseSeconds: number) =>
    new LockoutService(redis, {
      AUTH_LOCKOUT_MAX_FAILURES: maxFailures,
      AUTH_LOCKOUT_WINDOW_SECONDS: 900,
      AUTH_LOCKOUT_BASE_SECONDS: baseSeconds,
    } as AuthConfig);
  const key = () => `user:usr_${randomBytes(6).toString('hex')}`;

  beforeAll(() => {
    redis = new RedisConnection({
      url: process.env.REDIS_URL!,
      keyPrefix: `lockout-spec-${randomBytes(3).toString('hex')}:`,
    });
  });

  afterAll(async () => {
    await redis?.onApplicationShutdown();
  });

  it('locks at the limit, not before, and the lock shows in lockedFor', async () => {
    const lockout = service(3, 60);
    const k = key();
    expect(await lockout.registerFailure(k)).toEqual({ failures: 1, lockedMs: 0 });
    expect(await lockout.registerFailure(k)).toEqual({ failures: 2, lockedMs: 0 });
    expect(await lockout.lockedFor(k)).toBe(0);
    expect(await lockout.registerFailure(k)).toEqual({ failures: 3, lockedMs: 60_000 });
    const left = await lockout.lockedFor(k);
    expect(left).toBeGreaterThan(55_000);
    expect(left).toBeLessThanOrEqual(60_000);
  });

  it('doubles the lock on each lockout in a row and caps it at a day', async () => {
    const lockout = service(1, 3600);
    const k = key();
    const periods: number[] = [];
    for (let i = 0; i < 7; i++) periods.push((await lockout.registerFailure(k)).lockedMs);
    expect(periods).toEqual(
      [1, 2, 4, 8, 16, LOCKOUT_MAX_MS / HOUR_MS, LOCKOUT_MAX_MS / HOUR_MS].map((h) => h * HOUR_MS),
    );
  });

  it('counts failures afresh after a lock, and a reset forgets the level', async () => {
    const lockout = service(2, 10);
    const k = key();
    await lockout.registerFailure(k);
    expect((await lockout.registerFailure(k)).lockedMs).toBe(10_000);
    expect(await lockout.registerFailure(k)).toEqual({ failures: 1, lockedMs: 0 });
    expect((await lockout.registerFailure(k)).lockedMs).toBe(20_000);
    await lockout.reset(k);
    expect(await lockout.lockedFor(k)).toBe(0);
    await lockout.registerFailure(k);
    expect((await lockout.registerFailure(k)).lockedMs).toBe(10_000);
  });
});
