import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RedisLease } from '../common/redis-lease';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { PickupsService } from './pickups.service';

/** The Redis key of the sweep's lease (under REDIS_PREFIX). */
export const MISSED_PICKUPS_LEASE = 'leases:missed-pickups';

/**
 * Periodically marks pickups missed (the clock inside PickupsService decides what "ended" means).
 * Each sweep takes a Redis lease, so with several replicas one sweeps at a time.
 */
@Injectable()
export class MissedPickupsJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MissedPickupsJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly pickups: PickupsService,
    private readonly lease: RedisLease,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.PICKUP_MISSED_SWEEP_MS === 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((error: unknown) => this.logger.warn(`missed-pickup sweep failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.config.PICKUP_MISSED_SWEEP_MS);
    this.timer.unref();
  }

  /** One sweep under the lease; false when another replica holds it. */
  async sweep(): Promise<boolean> {
    const outcome = await this.lease.runExclusive(MISSED_PICKUPS_LEASE, this.config.PICKUP_MISSED_LEASE_MS, () =>
      this.pickups.markMissed(),
    );
    return outcome.ran;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
