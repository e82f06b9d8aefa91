import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EventEnvelope, topicName, validateEvent } from '@app/contracts';
import type { Message, Producer } from 'kafkajs';
import { BrokerUnavailableError, isKafkaError, withTimeout } from './broker-unavailable.error';
import { KafkaConnections } from './kafka-connections';
import { MessageHeaders } from './message-headers';
import { MESSAGING_OPTIONS, type ResolvedMessagingOptions } from './messaging.options';
import { splitByPartition } from './partition-sends';
import { chunkMessages } from './send-chunks';
import { TopicAdmin } from './topic-admin.service';
import { tracePublish } from './tracing/event-trace';

/** Publishes events to the topic their definition names, keyed by `envelope.key`. */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger(EventPublisher.name);

  constructor(
    private readonly connections: KafkaConnections,
    private readonly topicAdmin: TopicAdmin,
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
  ) {}

  /**
   * Validates every envelope against the registry (an invalid one is a programming error: throws
   * before anything is sent), then sends them with acks from all replicas in
   * consecutive batches bounded by count and size (`SEND_LIMITS`), so any backlog fits the broker.
   * Rejects with `BrokerUnavailableError` when Kafka fails or takes over `publishTimeoutMs`: the
   * events may or may not have been written (a retry is safe, consumers skip repeated ids).
   */
  async publish(envelopes: readonly EventEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    const items: { topic: string; message: Message }[] = [];
    for (const envelope of envelopes) {
      const result = validateEvent(envelope);
      if (!result.ok) throw new Error(`refusing to publish event ${String(envelope.id)}: ${result.reason}`);
      items.push({ topic: topicName(result.definition.topic, this.options.topicPrefix), message: toMessage(envelope) });
    }
    // One PRODUCER span per event, each under its own cause; no-ops when tracing is off.
    const endSpans = items.map(({ topic, message }, i) =>
      tracePublish(topic, envelopes[i], message.headers as NonNullable<Message['headers']>),
    );
    try {
      await this.send(items, envelopes.length);
      for (const end of endSpans) end();
    } catch (error) {
      for (const end of endSpans) end(error);
      throw error;
    }
  }

  private async send(items: { topic: string; message: Message }[], count: number): Promise<void> {
    const timeoutMs = this.options.publishTimeoutMs;
    // Each step gets the whole timeout: a large backlog may take several sends, a dead broker stalls the first.
    const step = async <T>(run: () => Promise<T>): Promise<T> => {
      const running = run();
      try {
        return await withTimeout(
          running,
          timeoutMs,
          () => new BrokerUnavailableError(`Kafka did not acknowledge within ${timeoutMs} ms`, RETRY_AFTER_SECONDS),
        );
      } catch (error) {
        running.catch(() => undefined);
        throw error;
      }
    };
    let producer: Promise<Producer> | undefined;
    try {
      const ready = await step(async () => {
        await this.topicAdmin.ensureTopics();
        producer = this.connections.getProducer();
        return producer;
      });
      const partitionsOf = await step(() => this.connections.partitionCountsOf(items.map((i) => i.topic)));
      // Sequential chunks, in order: the order of every key is kept. Within a chunk, one send per
      // partition (see splitByPartition: a multi-partition send can lose messages when a leader moves).
      for (const topicMessages of chunkMessages(items)) {
        const sends = splitByPartition(topicMessages, partitionsOf);
        await step(() => Promise.all(sends.map((send) => ready.sendBatch({ topicMessages: [send], acks: -1 }))));
      }
    } catch (error) {
      if (!(error instanceof BrokerUnavailableError) && !isKafkaError(error)) throw error;
      // A producer that timed out or lost its broker may stay wedged after a restart: start afresh.
      if (producer) this.connections.discardProducer(producer);
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`publish of ${count} event(s) failed: ${reason}`);
      if (error instanceof BrokerUnavailableError) throw error;
      throw new BrokerUnavailableError(`Kafka unavailable: ${reason}`, RETRY_AFTER_SECONDS, { cause: error });
    }
  }
}

// A broker restart takes seconds; clients should come back soon, not hammer a failing path.
const RETRY_AFTER_SECONDS = 5;

function toMessage(envelope: EventEnvelope): Message {
  return {
    key: envelope.key,
    value: JSON.stringify(envelope),
    headers: {
      [MessageHeaders.EventId]: envelope.id,
      [MessageHeaders.EventType]: envelope.type,
      [MessageHeaders.EventVersion]: String(envelope.version),
      [MessageHeaders.CorrelationId]: envelope.correlationId,
    },
  };
}
