import { MetricsService } from '@app/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { MessagesRepository } from '../messages/messages.repository';
import { DeliveryQueues, type DeliveryChannel } from '../queues/delivery-queues';

/**
 * Sent, failed and pending messages (from the message records) and queue depths. They cost a store
 * aggregation and Redis calls, so they are computed on a timer (`NOTIFICATIONS_METRICS_REFRESH_MS`) and a
 * scrape only reads the last values: scrapes, however many, put no load on the store (and without a
 * METRICS_TOKEN, when nothing can scrape, the timer does not run).
 */
@Injectable()
export class MessagesMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MessagesMetrics.name);
  private readonly messagesGauge: Gauge<'channel' | 'status'>;
  private readonly queueGauge: Gauge<'queue' | 'state'>;
  private readonly oldestGauge: Gauge<'queue'>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    metrics: MetricsService,
    private readonly messages: MessagesRepository,
    private readonly queues: DeliveryQueues,
    @Inject(NOTIFICATIONS_CONFIG)
    private readonly config: Pick<NotificationsConfig, 'NOTIFICATIONS_METRICS_REFRESH_MS' | 'METRICS_TOKEN'>,
  ) {
    this.messagesGauge = metrics.gauge(
      'notifications_messages',
      'Messages by channel and status (planned, queued, sending, sent, failed), refreshed on a timer',
      ['channel', 'status'],
    );
    this.queueGauge = metrics.gauge(
      'notifications_queue_jobs',
      'BullMQ jobs by queue and state, refreshed on a timer',
      ['queue', 'state'],
    );
    this.oldestGauge = metrics.gauge(
      'notifications_queue_oldest_waiting_seconds',
      'Age of the job that has waited longest in each BullMQ queue (0 when none waits), refreshed on a timer',
      ['queue'],
    );
  }

  onApplicationBootstrap(): void {
    // Nobody can scrape without a METRICS_TOKEN (/metrics answers 404): then the store is not queried at all.
    if (!this.config.METRICS_TOKEN) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.NOTIFICATIONS_METRICS_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Reads the counts once; a refresh still running is joined, not doubled. Errors keep the last values. */
  refresh(): Promise<void> {
    this.running ??= this.read()
      .catch((error: unknown) => this.logger.warn(`metrics refresh failed: ${String(error)}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async read(): Promise<void> {
    const rows = await this.messages.countByChannelAndStatus();
    const queueCounts: [DeliveryChannel, Record<string, number>, Date | undefined][] = [];
    for (const channel of ['email', 'sms'] as DeliveryChannel[])
      queueCounts.push([channel, await this.queues.counts(channel), await this.queues.oldestWaitingAddedAt(channel)]);
    const now = Date.now();
    // Reset only once every read succeeded, so a failed refresh never leaves a half-empty series.
    this.messagesGauge.reset();
    for (const row of rows) this.messagesGauge.set({ channel: row.channel, status: row.status }, row.count);
    this.queueGauge.reset();
    for (const [queue, counts, oldest] of queueCounts) {
      for (const [state, count] of Object.entries(counts)) this.queueGauge.set({ queue, state }, count);
      this.oldestGauge.set({ queue }, oldest ? Math.max(0, (now - oldest.getTime()) / 1000) : 0);
    }
  }
}
