import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { PickupsService } from './pickups.service';

/** Periodically marks pickups missed (the clock inside PickupsService decides what "ended" means). */
@Injectable()
export class MissedPickupsJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MissedPickupsJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly pickups: PickupsService,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.PICKUP_MISSED_SWEEP_MS === 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.pickups
        .markMissed()
        .catch((error: unknown) => this.logger.warn(`missed-pickup sweep failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.config.PICKUP_MISSED_SWEEP_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
