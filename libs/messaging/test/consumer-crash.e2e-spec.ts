import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { ConsumerGroups, type EventEnvelope, Topics, topicName } from '@app/contracts';
import type { TestingModule } from '@nestjs/testing';
import { kafkaSasl } from '@app/testing';
import { Kafka, logLevel } from 'kafkajs';
import { EventConsumer, EventPublisher, type RunningConsumer } from '../src';
import { eventually, requireEnv, startMessaging, uniquePrefix, useSampleEvent } from './support/harness';
import { sampleEvent } from './support/sample-event';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Starts the consumer child process and collects its stdout lines. */
function startChild(prefix: string, groupId: string): { child: ChildProcess; lines: string[] } {
  const lines: string[] = [];
  const child = spawn(
    process.execPath,
    [
      '-r',
      path.join(__dirname, 'support', 'ts-register.js'),
      path.join(__dirname, 'support', 'crash-consumer.child.ts'),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, TEST_TOPIC_PREFIX: prefix, TEST_GROUP_ID: groupId },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  return { child, lines };
}

describe('a consumer killed while its handler runs', () => {
  useSampleEvent();
  const prefix = uniquePrefix('crash');
  const groupId = ConsumerGroups.Tracking;
  let moduleRef: TestingModule;
  let child: ChildProcess | undefined;
  let running: RunningConsumer | undefined;

  beforeAll(async () => {
    moduleRef = await startMessaging(prefix, { outbox: { sweepIntervalMs: 0 } });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await running?.stop();
    await moduleRef?.close();
  });

  it('has not committed the offset, so the event is delivered again', async () => {
    const started = startChild(prefix, groupId);
    child = started.child;
    await eventually(() => started.lines.includes('READY'), 60_000, 'the child consumer to join');

    const event = sampleEvent('crash-1', 1);
    await moduleRef.get(EventPublisher).publish([event]);
    await eventually(() => started.lines.includes(`STARTED ${event.id}`), 30_000, 'the handler to start');

    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const kafka = new Kafka({
      clientId: 'inspect',
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      sasl: kafkaSasl(),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({
      groupId: topicName(groupId, prefix),
      topics: [topicName(Topics.Tracking, prefix)],
    });
    await admin.disconnect();
    // -1 means nothing committed on any partition: the event in hand was not marked done.
    expect(committed.partitions.map((p) => p.offset)).toEqual(committed.partitions.map(() => '-1'));

    const received: EventEnvelope[] = [];
    running = await moduleRef.get(EventConsumer).run({
      groupId,
      topics: [Topics.Tracking],
      handle: (envelope) => {
        received.push(envelope);
        return Promise.resolve();
      },
    });
    const again = await eventually(() => received.find((e) => e.id === event.id), 60_000, 'the redelivery');
    expect(again).toEqual(event);
  });
});
