// A consumer process for the crash test: it signals when the handler starts, then hangs there
// until the test kills it with SIGKILL, before the handler could resolve.
import { registerEventDefinition, Topics } from '@app/contracts';
import { NestFactory } from '@nestjs/core';
import { logLevel } from 'kafkajs';
import { kafkaSasl } from '@app/testing';
import { EventConsumer, MessagingModule } from '../../src';
import { SampleHappenedV1 } from './sample-event';

async function main(): Promise<void> {
  registerEventDefinition(SampleHappenedV1);
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const app = await NestFactory.createApplicationContext(
    MessagingModule.forRoot({
      clientId: 'crash-child',
      brokers: env('KAFKA_BROKERS').split(','),
      sasl: kafkaSasl(),
      topicPrefix: env('TEST_TOPIC_PREFIX'),
      logLevel: logLevel.NOTHING,
      outbox: { sweepIntervalMs: 0 },
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 },
    }),
    { logger: ['error'] },
  );
  const consumer = await app.get(EventConsumer).run({
    groupId: env('TEST_GROUP_ID'),
    topics: [Topics.Tracking],
    handle: (envelope) => {
      process.stdout.write(`STARTED ${envelope.id}\n`);
      return new Promise<void>(() => undefined);
    },
  });
  await consumer.joined;
  process.stdout.write('READY\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
