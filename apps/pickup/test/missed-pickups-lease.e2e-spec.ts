import { randomUUID } from 'node:crypto';
import { RedisLease } from '../src/common/redis-lease';
import { loadPickupConfig, type PickupConfig } from '../src/config';
import { MISSED_PICKUPS_LEASE, MissedPickupsJob } from '../src/pickups/missed-pickups.job';
import type { PickupsService } from '../src/pickups/pickups.service';
import { IdGenerator, RedisConnection } from '@app/platform';

describe('missed-pickup sweep lease (real Redis)', () => {
  const config: PickupConfig = loadPickupConfig({
    ...process.env,
    REDIS_PREFIX: `e2e-lease-${randomUUID().slice(0, 8)}:`,
    PICKUP_MISSED_LEASE_MS: '1000',
  });
  const connections: RedisConnection[] = [];
  let sweeps = 0;

  /** One replica: its own Redis connection and a sweep that takes `ms`. */
  const replica = (ms: number) => {
    const redis = new RedisConnection({ url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX });
    connections.push(redis);
    const pickups = {
      markMissed: async () => {
        sweeps += 1;
        await new Promise((resolve) => setTimeout(resolve, ms));
        return 0;
      },
    } as unknown as PickupsService;
    return { job: new MissedPickupsJob(pickups, new RedisLease(redis, new IdGenerator()), config), redis };
  };

  beforeEach(() => (sweeps = 0));

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.onApplicationShutdown()));
  });

  it('lets one of two replicas sweep at a time, and the next sweep run once the first has ended', async () => {
    const a = replica(300);
    const b = replica(300);
    const ran = await Promise.all([a.job.sweep(), b.job.sweep()]);
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(sweeps).toBe(1);
    expect(await b.job.sweep()).toBe(true);
    expect(sweeps).toBe(2);
  });

  it('waits out the lease of a replica that died while holding it', async () => {
    const a = replica(10);
    await a.redis.client.set(MISSED_PICKUPS_LEASE, 'a-dead-replica', 'PX', 500);
    expect(await a.job.sweep()).toBe(false);
    expect(sweeps).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await a.job.sweep()).toBe(true);
    expect(sweeps).toBe(1);
  });

  it('never releases a lease that expired and was taken by another replica', async () => {
    const slow = replica(1300);
    const other = replica(10);
    const first = slow.job.sweep();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // The slow sweep's lease (1 s) has expired: another replica may take it.
    await other.redis.client.set(MISSED_PICKUPS_LEASE, 'other-holder', 'PX', 5000);
    await first;
    expect(await other.redis.client.get(MISSED_PICKUPS_LEASE)).toBe('other-holder');
  });
});
