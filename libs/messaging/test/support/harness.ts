import { randomUUID } from 'node:crypto';
import { dlqTopic, registerEventDefinition, type Topic, topicName } from '@app/contracts';
import { Test, type TestingModule } from '@nestjs/testing';
import { type Consumer, Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import mongoose, { type ConnectOptions, type Connection } from 'mongoose';
import { kafkaSasl } from '@app/testing';
import { MessagingModule, type MessagingOptions, readHeaders, TopicAdmin } from '../../src';
import { SampleHappenedV1 } from './sample-event';

export function requireEnv(name: 'KAFKA_BROKERS' | 'MONGO_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through the e2e project (libs/testing globalSetup)`);
  return value;
}

export function uniquePrefix(name: string): string {
  return `t-${name}-${randomUUID().slice(0, 8)}`;
}

/** Registers the sample event for the duration of a test file. */
export function useSampleEvent(): void {
  let unregister: (() => void) | undefined;
  beforeAll(() => (unregister = registerEventDefinition(SampleHappenedV1)));
  afterAll(() => unregister?.());
}

export async function startMessaging(
  prefix: string,
  overrides: Partial<MessagingOptions> = {},
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      MessagingModule.forRoot({
        clientId: `e2e-${prefix}`,
        brokers: requireEnv('KAFKA_BROKERS').split(','),
        sasl: kafkaSasl(),
        topicPrefix: prefix,
        partitions: 3,
        logLevel: logLevel.NOTHING,
        ...overrides,
        consumer: {
          sessionTimeoutMs: 10_000,
          heartbeatIntervalMs: 1_000,
          retryBackoffMs: 50,
          maxRetryDelayMs: 500,
          ...overrides.consumer,
        },
      }),
    ],
  }).compile();
  await moduleRef.init();
  await moduleRef.get(TopicAdmin).ensureTopics();
  return moduleRef;
}

export async function connectMongo(prefix: string, options: ConnectOptions = {}): Promise<Connection> {
  return mongoose
    .createConnection(requireEnv('MONGO_URL'), { ...options, dbName: prefix.replace(/[^a-zA-Z0-9_-]/g, '_') })
    .asPromise();
}

/** Collects every message of some physical topics with a raw kafkajs consumer (for DLQ checks). */
export class TopicTap {
  readonly messages: { topic: string; message: KafkaMessage; headers: Record<string, string> }[] = [];
  private consumer?: Consumer;

  constructor(private readonly topics: string[]) {}

  static forDlq(topic: Topic, prefix: string): TopicTap {
    return new TopicTap([dlqTopic(topicName(topic, prefix))]);
  }

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'tap',
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      sasl: kafkaSasl(),
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({ groupId: `tap-${randomUUID()}`, maxWaitTimeInMs: 500 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: ({ topic, message }) => {
        this.messages.push({ topic, message, headers: readHeaders(message.headers) });
        return Promise.resolve();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** Polls until `check` returns a truthy value. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
