import { computeImpbCheckDigit, createEnvelope, ScanRecordedV1 } from '@app/contracts';
import { KafkaJSConnectionError } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { BrokerUnavailableError } from './broker-unavailable.error';
import { EventPublisher } from './event-publisher.service';
import type { KafkaConnections } from './kafka-connections';
import { resolveMessagingOptions } from './messaging.config';
import type { TopicAdmin } from './topic-admin.service';

const scan = () =>
  createEnvelope({
    type: ScanRecordedV1.type,
    version: ScanRecordedV1.version,
    key: ScanRecordedV1.example.trackingNumber,
    data: ScanRecordedV1.example,
    source: 'spec',
  });

function publisherWith(sendBatch: Producer['sendBatch'], publishTimeoutMs = 200) {
  const producer = Promise.resolve({ sendBatch } as unknown as Producer);
  const connections = {
    getProducer: jest.fn(() => producer),
    discardProducer: jest.fn(),
    partitionCountsOf: jest.fn(() => Promise.resolve(() => 3)),
  };
  const topicAdmin = { ensureTopics: jest.fn(() => Promise.resolve()) };
  const options = resolveMessagingOptions({ clientId: 'spec', brokers: ['127.0.0.1:1'], publishTimeoutMs });
  const publisher = new EventPublisher(
    connections as unknown as KafkaConnections,
    topicAdmin as unknown as TopicAdmin,
    options,
  );
  return { publisher, connections, producer };
}

describe('EventPublisher', () => {
  it('turns a kafkajs connection error into BrokerUnavailableError and drops the producer', async () => {
    const { publisher, connections, producer } = publisherWith(() =>
      Promise.reject(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED')),
    );
    const error: unknown = await publisher.publish([scan()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect((error as BrokerUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
    expect(connections.discardProducer).toHaveBeenCalledWith(producer);
  });

  it('gives up on a send that hangs after the publish timeout', async () => {
    const { publisher } = publisherWith(() => new Promise(() => undefined), 100);
    const started = Date.now();
    await expect(publisher.publish([scan()])).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses an invalid event as a programming error, not as an outage', async () => {
    const { publisher } = publisherWith(() => Promise.resolve([]));
    const invalid = { ...scan(), data: { trackingNumber: 'nope' } };
    const error: unknown = await publisher.publish([invalid]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(BrokerUnavailableError);
  });

  it('sends a valid batch once', async () => {
    const sendBatch = jest.fn(() => Promise.resolve([]));
    const { publisher } = publisherWith(sendBatch);
    await publisher.publish([scan(), scan()]);
    expect(sendBatch).toHaveBeenCalledTimes(1);
  });

  it('splits a large publish into bounded sends, sent one after another in publish order', async () => {
    const sent: string[][] = [];
    const sendBatch = jest.fn(({ topicMessages }: { topicMessages: { messages: { headers?: object }[] }[] }) => {
      sent.push(
        topicMessages.flatMap((t) =>
          t.messages.map((m) => String((m.headers as Record<string, string>)['x-event-id'])),
        ),
      );
      return Promise.resolve([]);
    });
    const { publisher } = publisherWith(sendBatch as unknown as Producer['sendBatch']);
    const events = Array.from({ length: 1_200 }, scan);
    await publisher.publish(events);
    expect(sendBatch.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(sent.every((ids) => ids.length <= 500)).toBe(true);
    expect(sent.flat()).toEqual(events.map((e) => e.id));
  });

  it('sends each partition apart, so a leader moving mid-send cannot drop a partition a retry skips', async () => {
    const sends: { topic: string; partitions: Set<number | undefined>; keys: string[] }[] = [];
    const sendBatch = jest.fn(
      ({ topicMessages }: { topicMessages: { topic: string; messages: { key: string; partition?: number }[] }[] }) => {
        for (const t of topicMessages) {
          sends.push({
            topic: t.topic,
            partitions: new Set(t.messages.map((m) => m.partition)),
            keys: t.messages.map((m) => m.key),
          });
        }
        expect(topicMessages).toHaveLength(1);
        return Promise.resolve([]);
      },
    );
    const { publisher } = publisherWith(sendBatch as unknown as Producer['sendBatch']);
    const numbers = [1, 2, 3, 4, 5, 6].map((i) => {
      const body = `92055900000000000000${i}`;
      return body + computeImpbCheckDigit(body);
    });
    const events = numbers.flatMap((trackingNumber) =>
      [0, 1].map(() =>
        createEnvelope({
          type: ScanRecordedV1.type,
          version: ScanRecordedV1.version,
          key: trackingNumber,
          data: { ...ScanRecordedV1.example, trackingNumber },
          source: 'spec',
        }),
      ),
    );
    await publisher.publish(events);
    // Six keys over three partitions: more than one send, each naming one partition.
    expect(sends.length).toBeGreaterThan(1);
    for (const send of sends) {
      expect(send.partitions.size).toBe(1);
      expect([...send.partitions][0]).toEqual(expect.any(Number));
    }
    // Every event sent once, and a key's events in publish order within its send.
    expect(sends.flatMap((s) => s.keys).sort()).toEqual(events.map((e) => e.key).sort());
  });
});
