import { Inject, Injectable, Logger } from '@nestjs/common';
import { ALL_TOPICS, dlqTopic, topicName } from '@app/contracts';
import type { Admin } from 'kafkajs';
import { KafkaConnections } from './kafka-connections';
import { MESSAGING_OPTIONS, type ResolvedMessagingOptions } from './messaging.options';
import { retryDelayMs } from './consumer/permanent-event-error';

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

  /**
   * Creates what is missing and waits until every partition of every topic has a leader
   * (idempotent, safe when several apps start together on a fresh broker); once per process.
   * Retries with backoff for up to `startupTimeoutMs`, then rejects with the last error. Does
   * nothing without `manageTopics`.
   */
  ensureTopics(): Promise<void> {
    // A service's principal may not create topics: the admin created them (and the ACLs) before it started.
    if (!this.options.manageTopics) return Promise.resolve();
    this.ensured ??= this.ensureWithRetry().catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    return this.ensured;
  }

  private async ensureWithRetry(): Promise<void> {
    const deadline = Date.now() + this.options.startupTimeoutMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const admin = await this.connections.getAdmin();
        await this.createMissing(admin);
        await this.checkLeaders(admin);
        return;
      } catch (error) {
        const delay = retryDelayMs(attempt, 250, 5_000);
        if (Date.now() + delay > deadline) throw error;
        this.logger.warn(`topics not ready (attempt ${attempt}), retrying in ${delay} ms: ${describe(error)}`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async createMissing(admin: Admin): Promise<void> {
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

  /** A topic another app has just created may not be served yet ("does not host this topic-partition"). */
  private async checkLeaders(admin: Admin): Promise<void> {
    const { topics } = await admin.fetchTopicMetadata({ topics: this.topicNames() });
    const leaderless = topics
      .filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0 || p.partitionErrorCode !== 0))
      .map((t) => t.name);
    if (leaderless.length > 0) throw new Error(`topics without leaders yet: ${leaderless.join(', ')}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
