import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { MessagesRepository } from '../messages/messages.repository';
import { DeliveryQueues, isDeliveryChannel } from '../queues/delivery-queues';
import { Clock } from '@app/platform';

/** Records read per page (point reads by `_id`); a run pages through all of them. */
export const RECONCILE_PAGE_SIZE = 500;

/**
 * Re-enqueues messages the store says are planned, queued or sending but Redis no longer has (a
 * Redis restart that lost jobs, a crash between recording and enqueueing). Runs at start and then
 * periodically; safe to run in several processes (adding an existing job id is a no-op). It reads
 * the lists of unsettled messages, not the whole collection (MessagesRepository.unsettledDue).
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly messages: MessagesRepository,
    private readonly queues: DeliveryQueues,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    void this.runSafely();
    if (this.config.RECONCILE_INTERVAL_MS > 0) {
      this.timer = setInterval(() => void this.runSafely(), this.config.RECONCILE_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /**
   * Returns how many messages were re-enqueued. Pages through every due unsettled record, so a
   * backlog larger than one page cannot hide a lost job behind the same first page each run.
   */
  async reconcile(minAgeMs = this.config.RECONCILE_MIN_AGE_MS, pageSize = RECONCILE_PAGE_SIZE): Promise<number> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - minAgeMs);
    let requeued = 0;
    for await (const page of this.messages.unsettledDue(before, now, pageSize)) {
      for (const message of page) {
        if (!isDeliveryChannel(message.channel)) continue;
        const state = await this.queues.jobState(message.channel, message._id);
        if (state !== undefined && state !== 'unknown') continue;
        await this.messages.markQueued(message._id, now);
        await this.queues.enqueue(message.channel, message._id, message.notBefore, now);
        requeued += 1;
      }
    }
    if (requeued > 0) this.logger.warn(`re-enqueued ${requeued} message(s) missing from Redis`);
    return requeued;
  }

  private async runSafely(): Promise<void> {
    if (this.running) return;
    this.running = this.reconcile();
    try {
      await this.running;
    } catch (error) {
      this.logger.error(`reconciliation failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = undefined;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
