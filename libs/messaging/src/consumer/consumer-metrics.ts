import { logicalTopicName } from '@app/contracts';
import { MetricsService } from '@app/platform';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Counter, Gauge } from 'prom-client';
import { KafkaConnections } from '../kafka-connections';
import { MESSAGING_OPTIONS, type ResolvedMessagingOptions } from '../messaging.options';

/** Why a message went to the DLQ: it could not be read as a contract of its topic, or its handler refused it for good. */
export type DeadLetterCause = 'invalid' | 'permanent';

/**
 * The consumer side's Prometheus metrics (deploy/prometheus reads them):
 * - `messaging_dlq_messages_total{topic, cause}`: messages this process wrote to `<topic>.dlq`;
 * - `kafka_consumer_lag_messages{group, topic, partition}`: end offset minus the group's committed
 *   offset, read with the admin API every `lagMetricsIntervalMs` (two requests per group, whatever
 *   the scrape rate), and only while a METRICS_TOKEN lets a scraper read it.
 * Topic and group labels are logical names (without `KAFKA_TOPIC_PREFIX`). Without the platform's
 * MetricsService (a worker-only process) nothing is recorded.
 */
@Injectable()
export class ConsumerMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConsumerMetrics.name);
  private readonly dlq?: Counter<'topic' | 'cause'>;
  private readonly lag?: Gauge<'group' | 'topic' | 'partition'>;
  /** Physical group id → physical topics, of the consumers running in this process. */
  private readonly groups = new Map<string, readonly string[]>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly connections: KafkaConnections,
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.dlq = metrics?.counter(
      'messaging_dlq_messages_total',
      'Messages written to <topic>.dlq by this process, by source topic and cause (invalid, permanent)',
      ['topic', 'cause'],
    );
    this.lag = metrics?.gauge(
      'kafka_consumer_lag_messages',
      "Messages behind the topic's end offset, per consumer group and partition (admin API, refreshed on a timer)",
      ['group', 'topic', 'partition'],
    );
  }

  deadLettered(topic: string, cause: DeadLetterCause): void {
    this.dlq?.inc({ topic: logicalTopicName(topic, this.options.topicPrefix), cause });
  }

  /** A consumer of `groupId` (physical) on `topics` (physical) started in this process. */
  watch(groupId: string, topics: readonly string[]): void {
    this.groups.set(groupId, topics);
    // Each DLQ series starts at 0, so `increase()` sees the first dead-lettered message too.
    for (const topic of topics) {
      for (const cause of ['invalid', 'permanent'] as const) {
        this.dlq?.inc({ topic: logicalTopicName(topic, this.options.topicPrefix), cause }, 0);
      }
    }
  }

  unwatch(groupId: string): void {
    this.groups.delete(groupId);
  }

  onApplicationBootstrap(): void {
    // Nobody can scrape without a METRICS_TOKEN (/metrics answers 404): then Kafka is not asked at all.
    if (!this.lag || !this.metrics?.scrapeToken) return;
    this.timer = setInterval(() => void this.refreshLag(), this.options.lagMetricsIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    // A read that starts after this would connect the admin client again, past the messaging shutdown.
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Reads every watched group's lag once; a read still running is joined. Errors keep the last values. */
  refreshLag(): Promise<void> {
    this.running ??= this.readLag()
      .catch((error: unknown) => this.logger.warn(`consumer lag read failed: ${String(error)}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async readLag(): Promise<void> {
    if (!this.lag || this.groups.size === 0 || this.stopped) return;
    const admin = await this.connections.getAdmin();
    const ends = new Map<string, Map<number, { low: bigint; high: bigint }>>();
    const rows: { group: string; topic: string; partition: number; lag: number }[] = [];
    for (const [groupId, topics] of this.groups) {
      const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
      for (const { topic, partitions } of committed) {
        let end = ends.get(topic);
        if (!end) {
          end = new Map(
            (await admin.fetchTopicOffsets(topic)).map((p) => [
              p.partition,
              { low: BigInt(p.low), high: BigInt(p.high) },
            ]),
          );
          ends.set(topic, end);
        }
        for (const { partition, offset } of partitions) {
          const { low, high } = end.get(partition) ?? { low: 0n, high: 0n };
          // No commit yet (-1): the group starts from the beginning, so all the partition holds is behind.
          const done = BigInt(offset) < 0n ? low : BigInt(offset);
          rows.push({
            group: logicalTopicName(groupId, this.options.topicPrefix),
            topic: logicalTopicName(topic, this.options.topicPrefix),
            partition,
            lag: Number(high > done ? high - done : 0n),
          });
        }
      }
    }
    // Replaced only once every read succeeded, so a failed read never leaves a half-empty series.
    this.lag.reset();
    for (const row of rows) {
      this.lag.set({ group: row.group, topic: row.topic, partition: String(row.partition) }, row.lag);
    }
  }
}
