import { Inject, Injectable, Logger } from '@nestjs/common';
import { ALL_TOPICS, dlqTopic, topicName } from '@app/contracts';
import { KafkaConnections } from './kafka-connections';
import { MESSAGING_OPTIONS, type ResolvedMessagingOptions } from './messaging.options';

/** Creates the topics at start-up, before anything produces or subscribes. */
@Injectable()
export class TopicAdmin {
  private readonly logger = new Logger(TopicAdmin.name);
  private ensured?: Promise<void>;

  constructor(
    private readonly connections: KafkaConnections,
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
  ) {}

  /** The physical names of every topic and its DLQ under the configured prefix. */
  topicNames(): string[] {
    return ALL_TOPICS.flatMap((topic) => [topic, dlqTopic(topic)]).map((t) => topicName(t, this.options.topicPrefix));
  }

  /** Creates what is missing (idempotent, safe when several apps start together); once per process. */
  ensureTopics(): Promise<void> {
    this.ensured ??= this.createMissing().catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    return this.ensured;
  }

  private async createMissing(): Promise<void> {
    const admin = await this.connections.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = this.topicNames().filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    // createTopics resolves false (no error) when another instance created them first.
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: this.options.partitions,
        replicationFactor: this.options.replicationFactor,
      })),
    });
    this.logger.log(`created topics ${missing.join(', ')}`);
  }
}
