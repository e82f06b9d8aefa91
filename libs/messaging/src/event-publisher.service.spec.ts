import { createEnvelope, ScanRecordedV1 } from '@app/contracts';
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
  const connections = { getProducer: jest.fn(() => producer), discardProducer: jest.fn() };
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
});
