import { createEnvelope, ScanRecordedV1 } from '@app/contracts';
import { type EachBatchPayload, type Kafka, KafkaJSProtocolError } from 'kafkajs';
import type { KafkaConnections } from '../kafka-connections';
import { resolveMessagingOptions } from '../messaging.config';
import type { TopicAdmin } from '../topic-admin.service';
import { EventConsumer } from './event-consumer.service';

const rebalancing = () =>
  new KafkaJSProtocolError({
    message: 'The group is rebalancing, so a rejoin is needed',
    type: 'REBALANCE_IN_PROGRESS',
    code: 27,
  } as unknown as Error);

function payloadWith(heartbeat: () => Promise<void>) {
  const envelope = createEnvelope({
    type: ScanRecordedV1.type,
    version: ScanRecordedV1.version,
    key: ScanRecordedV1.example.trackingNumber,
    data: ScanRecordedV1.example,
    source: 'spec',
  });
  const payload = {
    batch: {
      topic: 'postal.scans',
      partition: 0,
      messages: [{ offset: '7', key: Buffer.from(envelope.key), value: Buffer.from(JSON.stringify(envelope)) }],
    },
    resolveOffset: jest.fn(),
    heartbeat: jest.fn(heartbeat),
    commitOffsetsIfNecessary: jest.fn(() => Promise.resolve()),
    isRunning: () => true,
    isStale: () => false,
  };
  return payload;
}

describe('EventConsumer', () => {
  const options = resolveMessagingOptions({
    clientId: 'spec',
    brokers: ['127.0.0.1:1'],
    consumer: { retryBackoffMs: 10, maxRetryDelayMs: 10, heartbeatIntervalMs: 100 },
  });
  const consumer = new EventConsumer(
    {} as Kafka,
    {} as KafkaConnections,
    { ensureTopics: () => Promise.resolve() } as unknown as TopicAdmin,
    options,
  );

  it('leaves a stuck batch uncommitted and hands the rebalance back to kafkajs to rejoin', async () => {
    const payload = payloadWith(() => Promise.reject(rebalancing()));
    const handle = jest.fn(() => Promise.reject(new Error('store unavailable')));
    const run = consumer['processBatch'](
      payload as unknown as EachBatchPayload,
      { groupId: 'g', topics: [], handle },
      () => false,
    );
    await expect(run).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
    expect(payload.resolveOffset).not.toHaveBeenCalled();
    expect(payload.commitOffsetsIfNecessary).not.toHaveBeenCalled();
  });

  it('commits a handled batch when the group is stable', async () => {
    const payload = payloadWith(() => Promise.resolve());
    await consumer['processBatch'](
      payload as unknown as EachBatchPayload,
      { groupId: 'g', topics: [], handle: () => Promise.resolve() },
      () => false,
    );
    expect(payload.resolveOffset).toHaveBeenCalledWith('7');
    expect(payload.commitOffsetsIfNecessary).toHaveBeenCalled();
  });
});
