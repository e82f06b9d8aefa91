import { Inject, Injectable } from '@nestjs/common';
import { type EventEnvelope, topicName, validateEvent } from '@app/contracts';
import type { Message, TopicMessages } from 'kafkajs';
import { KafkaConnections } from './kafka-connections';
import { MessageHeaders } from './message-headers';
import { MESSAGING_OPTIONS, type ResolvedMessagingOptions } from './messaging.options';
import { TopicAdmin } from './topic-admin.service';

/** Publishes events to the topic their definition names, keyed by `envelope.key`. */
@Injectable()
export class EventPublisher {
  constructor(
    private readonly connections: KafkaConnections,
    private readonly topicAdmin: TopicAdmin,
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
  ) {}

  /**
   * Validates every envelope against the registry (an invalid one is a programming error: throws
   * before anything is sent), then sends them in one batch per topic with acks from all replicas.
   */
  async publish(envelopes: readonly EventEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const envelope of envelopes) {
      const result = validateEvent(envelope);
      if (!result.ok) throw new Error(`refusing to publish event ${String(envelope.id)}: ${result.reason}`);
      const topic = topicName(result.definition.topic, this.options.topicPrefix);
      const messages = byTopic.get(topic) ?? [];
      messages.push(toMessage(envelope));
      byTopic.set(topic, messages);
    }
    await this.topicAdmin.ensureTopics();
    const producer = await this.connections.getProducer();
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    await producer.sendBatch({ topicMessages, acks: -1 });
  }
}

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
