import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Admin, type Kafka, logLevel, type LogEntry, Partitioners, type Producer } from 'kafkajs';
import { BrokerUnavailableError } from './broker-unavailable.error';
import { KAFKA_CLIENT } from './messaging.options';

const PARTITION_COUNT_TTL_MS = 60_000;

/** Sends kafkajs logs to the Nest logger. */
export function kafkaLogCreator() {
  const logger = new Logger('Kafka');
  return ({ namespace, level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const line = `${namespace}: ${message} ${JSON.stringify(extra)}`;
    if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    else if (level === logLevel.INFO) logger.log(line);
    else logger.debug(line);
  };
}

/**
 * The shared producer and admin client, connected on first use. One producer per process; the
 * publisher, the relay and the consumers' DLQ share it.
 */
@Injectable()
export class KafkaConnections {
  private producer?: Promise<Producer>;
  private admin?: Promise<Admin>;
  /** Partition counts by topic, read from the cluster once per PARTITION_COUNT_TTL_MS. */
  private readonly partitionCounts = new Map<string, { count: number; readAt: number }>();

  constructor(@Inject(KAFKA_CLIENT) private readonly kafka: Kafka) {}

  getProducer(): Promise<Producer> {
    this.producer ??= this.connectProducer();
    return this.producer;
  }

  getAdmin(): Promise<Admin> {
    this.admin ??= this.connectAdmin();
    return this.admin;
  }

  /**
   * How many partitions each of `topics` has: a metadata request for a topic not seen yet; a count
   * older than a minute is refreshed in the background (a partition count only grows, by an
   * operator's hand), so a publish during an outage does not wait for metadata it already has.
   */
  async partitionCountsOf(topics: readonly string[]): Promise<(topic: string) => number> {
    const now = Date.now();
    const wanted = [...new Set(topics)];
    const unknown = wanted.filter((t) => !this.partitionCounts.has(t));
    const stale = wanted.filter((t) => now - (this.partitionCounts.get(t)?.readAt ?? now) > PARTITION_COUNT_TTL_MS);
    if (unknown.length > 0) await this.readPartitionCounts(unknown);
    if (stale.length > 0) {
      // One refresh at a time: the entries count as fresh until it answers (or fails).
      for (const topic of stale)
        this.partitionCounts.set(topic, { count: this.partitionCounts.get(topic)!.count, readAt: now });
      void this.readPartitionCounts(stale).catch(() => undefined);
    }
    return (topic) => {
      const known = this.partitionCounts.get(topic);
      // A topic without partitions in the metadata yet is an outage of sorts: the caller answers 503.
      if (!known) throw new BrokerUnavailableError(`no partition metadata for ${topic} yet`, 5);
      return known.count;
    };
  }

  private async readPartitionCounts(topics: string[]): Promise<void> {
    const admin = await this.getAdmin();
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    const readAt = Date.now();
    for (const topic of metadata) {
      if (topic.partitions.length > 0) this.partitionCounts.set(topic.name, { count: topic.partitions.length, readAt });
    }
  }

  /**
   * Forgets `producer` if it is still the shared one (the next `getProducer` connects a new one) and
   * disconnects it in the background.
   */
  discardProducer(producer: Promise<Producer>): void {
    if (this.producer !== producer) return;
    this.producer = undefined;
    producer.then((p) => p.disconnect()).catch(() => undefined);
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    const admin = this.admin;
    this.producer = undefined;
    this.admin = undefined;
    await Promise.allSettled([producer?.then((p) => p.disconnect()), admin?.then((a) => a.disconnect())]);
  }

  private async connectProducer(): Promise<Producer> {
    // Idempotent: the broker drops a retried duplicate; kafkajs needs one request in flight for it.
    // Retries stay bounded so a write's immediate flush gives up and leaves the event to the sweep.
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 5 },
    });
    try {
      await producer.connect();
      return producer;
    } catch (error) {
      this.producer = undefined;
      throw error;
    }
  }

  private async connectAdmin(): Promise<Admin> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      return admin;
    } catch (error) {
      this.admin = undefined;
      throw error;
    }
  }
}
