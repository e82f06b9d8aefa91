import { ConsumerGroups, type EventEnvelope, Topics, topicName } from '@app/contracts';
import type { TestingModule } from '@nestjs/testing';
import { kafkaSasl } from '@app/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { Connection, Model } from 'mongoose';
import {
  applyOnce,
  EventConsumer,
  EventPublisher,
  MessageHeaders,
  MessagingHealth,
  PermanentEventError,
  type RunningConsumer,
} from '../src';
import {
  connectMongo,
  eventually,
  requireEnv,
  startMessaging,
  TopicTap,
  uniquePrefix,
  useSampleEvent,
} from './support/harness';
import { type Ledger, ledgerModel } from './support/ledger.model';
import { type SampleHappenedData, sampleEvent } from './support/sample-event';

describe('event consumer on Kafka', () => {
  useSampleEvent();
  const prefix = uniquePrefix('consumer');
  let moduleRef: TestingModule;
  let publisher: EventPublisher;
  let consumers: EventConsumer;
  let mongo: Connection;
  let ledgers: Model<Ledger>;
  let rawProducer: Producer;
  let dlq: TopicTap;
  let running: RunningConsumer | undefined;

  // The effect under test: add the event's amount to the ledger, once per event id.
  async function applyToLedger(envelope: EventEnvelope): Promise<void> {
    const data = envelope.data as SampleHappenedData;
    const current = await ledgers.findById(data.aggregateId).lean();
    const { filter, update } = applyOnce({ _id: data.aggregateId }, { $inc: { total: data.amount } }, envelope.id, {
      current: current?.appliedEventIds ?? [],
    });
    if (current) await ledgers.updateOne(filter, update);
    else await ledgers.create({ _id: data.aggregateId, total: data.amount, appliedEventIds: [envelope.id] });
  }

  beforeAll(async () => {
    moduleRef = await startMessaging(prefix);
    publisher = moduleRef.get(EventPublisher);
    consumers = moduleRef.get(EventConsumer);
    mongo = await connectMongo(prefix);
    ledgers = ledgerModel(mongo);
    const kafka = new Kafka({
      clientId: 'raw',
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      sasl: kafkaSasl(),
      logLevel: logLevel.NOTHING,
    });
    rawProducer = kafka.producer();
    await rawProducer.connect();
    dlq = TopicTap.forDlq(Topics.Tracking, prefix);
    await dlq.start();
  });

  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  afterAll(async () => {
    await dlq?.stop();
    await rawProducer?.disconnect();
    await mongo?.dropDatabase();
    await mongo?.close();
    await moduleRef?.close();
  });

  it('reports Kafka ready', async () => {
    await expect(moduleRef.get(MessagingHealth).check()).resolves.toBeUndefined();
  });

  it('delivers a published event to a consumer of its topic, with its headers', async () => {
    const received: { envelope: EventEnvelope; headers: Record<string, string>; topic: string }[] = [];
    running = await consumers.run({
      groupId: `${ConsumerGroups.Notifications}-deliver`,
      topics: [Topics.Tracking],
      handle: (envelope, meta) => {
        received.push({ envelope, headers: meta.headers, topic: meta.topic });
        return Promise.resolve();
      },
    });
    const event = sampleEvent('deliver-1', 5);
    await publisher.publish([event]);

    const got = await eventually(() => received.find((r) => r.envelope.id === event.id), 30_000, 'delivery');
    expect(got.envelope).toEqual(event);
    expect(got.topic).toBe(Topics.Tracking);
    expect(got.headers).toMatchObject({
      [MessageHeaders.EventType]: event.type,
      [MessageHeaders.EventVersion]: '1',
      [MessageHeaders.CorrelationId]: event.correlationId,
    });
  });

  it('refuses to publish an event that fails its schema', async () => {
    const bad = { ...sampleEvent('bad-1'), data: { aggregateId: 'bad-1', amount: 'lots' } };
    await expect(publisher.publish([bad])).rejects.toThrow(/refusing to publish .*amount/);
  });

  it('applies a redelivered event only once', async () => {
    const seen: string[] = [];
    running = await consumers.run({
      groupId: `${ConsumerGroups.Tracking}-once`,
      topics: [Topics.Tracking],
      handle: async (envelope) => {
        if ((envelope.data as SampleHappenedData).aggregateId !== 'once-1') return;
        await applyToLedger(envelope);
        seen.push(envelope.id);
      },
    });
    const first = sampleEvent('once-1', 7);
    const second = sampleEvent('once-1', 3);
    // The same envelope twice is what a redelivery looks like to the handler.
    await publisher.publish([first, first, second, first]);

    await eventually(() => seen.length === 4, 30_000, 'four deliveries');
    const ledger = await ledgers.findById('once-1').lean();
    expect(ledger?.total).toBe(10);
    expect(ledger?.appliedEventIds).toEqual([first.id, second.id]);
  });

  it('dead-letters malformed and invalid messages with the reason and goes on to the good ones', async () => {
    const handled: string[] = [];
    running = await consumers.run({
      groupId: `${ConsumerGroups.Pickup}-dlq`,
      topics: [Topics.Tracking],
      handle: (envelope) => {
        handled.push((envelope.data as SampleHappenedData).aggregateId);
        return Promise.resolve();
      },
    });
    const topic = topicName(Topics.Tracking, prefix);
    const invalid = { ...sampleEvent('dlq-x'), data: { aggregateId: 'dlq-x', amount: 1.5 } };
    const good = sampleEvent('dlq-good');
    await rawProducer.send({
      topic,
      messages: [
        { key: 'dlq-k', value: '{not json' },
        { key: 'dlq-k', value: JSON.stringify(invalid) },
        { key: 'dlq-k', value: JSON.stringify({ ...sampleEvent('dlq-y'), type: 'NoSuchEvent' }) },
        { key: 'dlq-k', value: JSON.stringify(good) },
      ],
    });

    await eventually(() => handled.includes('dlq-good'), 30_000, 'the good event');
    expect(handled).not.toContain('dlq-x');
    const dead = await eventually(
      () => {
        const mine = dlq.messages.filter((m) => m.message.key?.toString() === 'dlq-k');
        return mine.length >= 3 ? mine : undefined;
      },
      30_000,
      'three dead letters',
    );
    expect(dead.map((m) => m.headers[MessageHeaders.DlqReason])).toEqual([
      expect.stringMatching(/^unparseable JSON/),
      expect.stringMatching(/^invalid data for MessagingSampleHappened v1: amount/),
      'unknown event type NoSuchEvent v1',
    ]);
    expect(dead[0].message.value?.toString()).toBe('{not json');
    expect(dead[0].headers).toMatchObject({
      [MessageHeaders.OriginalTopic]: topic,
      [MessageHeaders.OriginalPartition]: expect.stringMatching(/^\d+$/),
      [MessageHeaders.OriginalOffset]: expect.stringMatching(/^\d+$/),
    });
  });

  it('dead-letters an event whose handler fails permanently, at once, and handles the next one', async () => {
    const attempts = new Map<string, number>();
    running = await consumers.run({
      groupId: `${ConsumerGroups.Auth}-poison`,
      topics: [Topics.Tracking],
      handle: (envelope) => {
        const id = (envelope.data as SampleHappenedData).aggregateId;
        attempts.set(id, (attempts.get(id) ?? 0) + 1);
        if (id === 'poison-1') return Promise.reject(new PermanentEventError('boom'));
        return Promise.resolve();
      },
    });
    await publisher.publish([sampleEvent('poison-1'), sampleEvent('poison-1-next')]);
    // Same key, so the next event waits for the poison one to be dead-lettered.
    await publisher.publish([{ ...sampleEvent('poison-1-next'), key: 'poison-1' }]);

    await eventually(() => (attempts.get('poison-1-next') ?? 0) >= 2, 30_000, 'the events after the poison one');
    expect(attempts.get('poison-1')).toBe(1);
    const dead = await eventually(
      () => dlq.messages.find((m) => m.headers[MessageHeaders.DlqReason]?.includes('boom')),
      30_000,
      'the poison event in the DLQ',
    );
    expect(dead.headers[MessageHeaders.DlqReason]).toBe('permanent failure: boom');
  });

  it('keeps retrying through a store outage longer than any retry budget, then applies the event once', async () => {
    let outageFailures = 0;
    running = await consumers.run({
      groupId: `${ConsumerGroups.Tracking}-outage`,
      topics: [Topics.Tracking],
      handle: async (envelope) => {
        if ((envelope.data as SampleHappenedData).aggregateId !== 'outage-1') return;
        // The store is down for the first 12 attempts (the old budget was 4).
        if (outageFailures < 12) {
          outageFailures += 1;
          throw new Error('connect ECONNREFUSED 127.0.0.1:27017');
        }
        await applyToLedger(envelope);
      },
    });
    const event = sampleEvent('outage-1', 9);
    await publisher.publish([event]);

    const ledger = await eventually(() => ledgers.findById('outage-1').lean(), 60_000, 'the event after recovery');
    expect(outageFailures).toBe(12);
    expect(ledger.total).toBe(9);
    expect(ledger.appliedEventIds).toEqual([event.id]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(dlq.messages.filter((m) => m.message.key?.toString() === 'outage-1')).toEqual([]);
  });

  it('keeps the events of one key in order', async () => {
    const order: number[] = [];
    running = await consumers.run({
      groupId: `${ConsumerGroups.Notifications}-order`,
      topics: [Topics.Tracking],
      concurrency: 4,
      handle: async (envelope) => {
        const data = envelope.data as SampleHappenedData;
        if (data.aggregateId !== 'order-1') return;
        await new Promise((resolve) => setTimeout(resolve, 20 - data.amount));
        order.push(data.amount);
      },
    });
    const events = Array.from({ length: 10 }, (_, i) => sampleEvent('order-1', i));
    await publisher.publish(events);
    await eventually(() => order.length === 10, 30_000, 'ten events');
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('hands whole batches to handleBatch and falls back to handle when it throws', async () => {
    const batched: string[] = [];
    const single: string[] = [];
    let failNextBatch = true;
    running = await consumers.run({
      groupId: `${ConsumerGroups.Tracking}-batch`,
      topics: [Topics.Tracking],
      handleBatch: (envelopes) => {
        const mine = envelopes.filter((e) => e.key.startsWith('batch-'));
        if (mine.length > 0 && failNextBatch) {
          failNextBatch = false;
          return Promise.reject(new Error('batch store unavailable'));
        }
        batched.push(...mine.map((e) => e.id));
        return Promise.resolve();
      },
      handle: (envelope) => {
        if (envelope.key.startsWith('batch-')) single.push(envelope.id);
        return Promise.resolve();
      },
    });
    const first = [sampleEvent('batch-1'), sampleEvent('batch-1')];
    await publisher.publish(first);
    await eventually(() => single.length === 2, 30_000, 'the fallback to handle');
    expect(single).toEqual(first.map((e) => e.id));

    const second = [sampleEvent('batch-2'), sampleEvent('batch-2')];
    await publisher.publish(second);
    await eventually(() => second.every((e) => batched.includes(e.id)), 30_000, 'the batch path');
    expect(single).toHaveLength(2);
  });
});
