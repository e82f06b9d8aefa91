import { MetricsService } from '@app/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { isUnsettled, type MessageCount, MessagesRepository } from '../messages/messages.repository';
import { DeliveryQueues, type DeliveryChannel } from '../queues/delivery-queues';

/**
 * Unsettled, sent and failed messages and queue depths, computed on a timer and read by scrapes:
 * scrapes, however many, put no load on the store (and without a METRICS_TOKEN, when nothing can
 * scrape, the timers do not run). The unsettled counts (reported as `queued`) come from the lists of
 * unsettled messages, every `NOTIFICATIONS_METRICS_REFRESH_MS` with the queues; the sent and failed
 * counts need an aggregate over every record, which FerretDB answers by reading them all (and the
 * collection grows with every message), so they are recomputed every
 * `NOTIFICATIONS_SETTLED_COUNT_REFRESH_MS` (an hour) only. What moves within the hour is elsewhere:
 * the send rate in `notifications_event_to_sent_seconds_count`, jobs failed for good in
 * `notifications_queue_jobs{state="failed"}`.
 */
@Injectable()
export class MessagesMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MessagesMetrics.name);
  private readonly messagesGauge: Gauge<'channel' | 'status'>;
  private readonly queueGauge: Gauge<'queue' | 'state'>;
  private readonly oldestGauge: Gauge<'queue'>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** the sent and failed rows of the last aggregate, and when it ran */
  private settled?: { rows: MessageCount[]; at: number };

  constructor(
    metrics: MetricsService,
    private readonly messages: MessagesRepository,
    private readonly queues: DeliveryQueues,
    @Inject(NOTIFICATIONS_CONFIG)
    private readonly config: Pick<
      NotificationsConfig,
      'NOTIFICATIONS_METRICS_REFRESH_MS' | 'NOTIFICATIONS_SETTLED_COUNT_REFRESH_MS' | 'METRICS_TOKEN'
    >,
  ) {
    this.messagesGauge = metrics.gauge(
      'notifications_messages',
      'Messages by channel and status: unsettled ones as queued (refreshed with the queues), sent and failed (refreshed hourly)',
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
    const unsettled = await this.messages.countUnsettled();
    const settled = await this.settledCounts();
    const queueCounts: [DeliveryChannel, Record<string, number>, Date | undefined][] = [];
    for (const channel of ['email', 'sms'] as DeliveryChannel[])
      queueCounts.push([channel, await this.queues.counts(channel), await this.queues.oldestWaitingAddedAt(channel)]);
    const now = Date.now();
    // Reset only once every read succeeded, so a failed refresh never leaves a half-empty series.
    this.messagesGauge.reset();
    for (const row of [...unsettled, ...settled]) {
      this.messagesGauge.set({ channel: row.channel, status: row.status }, row.count);
    }
    this.queueGauge.reset();
    for (const [queue, counts, oldest] of queueCounts) {
      for (const [state, count] of Object.entries(counts)) this.queueGauge.set({ queue, state }, count);
      this.oldestGauge.set({ queue }, oldest ? Math.max(0, (now - oldest.getTime()) / 1000) : 0);
    }
  }

  /** The sent and failed counts: the last aggregate's, or a new one when it is older than its interval. */
  private async settledCounts(): Promise<MessageCount[]> {
    const now = Date.now();
    if (this.settled && now - this.settled.at < this.config.NOTIFICATIONS_SETTLED_COUNT_REFRESH_MS) {
      return this.settled.rows;
    }
    const rows = (await this.messages.countByChannelAndStatus()).filter((r) => !isUnsettled(r.status));
    this.settled = { rows, at: now };
    return rows;
  }
}
