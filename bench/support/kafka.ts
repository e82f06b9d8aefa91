import { topicName, type EventEnvelope } from '@app/contracts';
import { MessageHeaders, stopKafkajsIdleTimer } from '@app/messaging';
import { Kafka, logLevel, type Admin, type Message, type Producer } from 'kafkajs';
import { ADMIN, readCredentials, sasl } from '../../tools/stack/kafka-access';

export interface BenchKafka {
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  prefix: string;
  topic(logical: string): string;
  /** Sends messages in chunks, a few chunks in flight, and waits for every ack. */
  sendAll(topic: string, messages: readonly Message[], chunk?: number): Promise<void>;
  /** Sum over partitions of high watermark minus the group's committed offset. */
  lag(groupLogical: string, topicLogical: string): Promise<number>;
  /** Resolves when the group has committed up to the end of the topic. */
  waitCaughtUp(groupLogical: string, topicLogical: string, timeoutMs: number): Promise<void>;
  highWatermark(topicLogical: string): Promise<number>;
  close(): Promise<void>;
}

export function envelopeMessage(envelope: EventEnvelope): Message {
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

/** A client of the bench's broker as its admin (`credentialsFile`: the stack's KAFKA_CREDENTIALS_FILE). */
export async function connectKafka(brokers: string, prefix: string, credentialsFile: string): Promise<BenchKafka> {
  // The load generator's connections stay open through every scenario, on the cores it measures.
  stopKafkajsIdleTimer();
  const kafka = new Kafka({
    clientId: 'bench',
    brokers: brokers.split(','),
    sasl: sasl(readCredentials(credentialsFile)[ADMIN]),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await Promise.all([admin.connect(), producer.connect()]);
  const topic = (logical: string) => topicName(logical, prefix);

  const highWatermark = async (topicLogical: string) => {
    const offsets = await admin.fetchTopicOffsets(topic(topicLogical));
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  };

  const lag = async (groupLogical: string, topicLogical: string): Promise<number> => {
    const full = topic(topicLogical);
    const [high, committed] = await Promise.all([
      admin.fetchTopicOffsets(full),
      admin.fetchOffsets({ groupId: topic(groupLogical), topics: [full] }),
    ]);
    const done = new Map<number, number>();
    for (const p of committed[0]?.partitions ?? []) done.set(p.partition, Math.max(0, Number(p.offset)));
    return high.reduce((sum, p) => sum + Math.max(0, Number(p.high) - (done.get(p.partition) ?? 0)), 0);
  };

  return {
    kafka,
    admin,
    producer,
    prefix,
    topic,
    highWatermark,
    lag,
    async sendAll(topicLogical, messages, chunk = 500) {
      const full = topic(topicLogical);
      const inFlight = new Set<Promise<unknown>>();
      for (let i = 0; i < messages.length; i += chunk) {
        const sent = producer.send({ topic: full, messages: messages.slice(i, i + chunk) });
        inFlight.add(sent);
        void sent.finally(() => inFlight.delete(sent)).catch(() => undefined);
        if (inFlight.size >= 4) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    },
    async waitCaughtUp(groupLogical, topicLogical, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const remaining = await lag(groupLogical, topicLogical);
        if (remaining === 0) return;
        if (Date.now() > deadline) {
          throw new Error(
            `group ${groupLogical} still ${remaining} behind on ${topicLogical} after ${timeoutMs / 1000} s`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}
