import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import {
  ADMIN,
  provisionKafka,
  readCredentials,
  sasl,
  type Credential,
  type Credentials,
  type ScramSasl,
} from '../../../tools/stack/kafka-access';
import { waitFor } from './wait-for';

/**
 * Every principal's SCRAM credentials of the test broker (KAFKA_CREDENTIALS_FILE, set by the jest
 * global setup), or of another broker started by tools/stack (its `env.KAFKA_CREDENTIALS_FILE`).
 */
export function kafkaCredentials(file = process.env.KAFKA_CREDENTIALS_FILE): Credentials {
  if (!file) throw new Error('KAFKA_CREDENTIALS_FILE is not set: run e2e tests through the e2e jest project');
  return readCredentials(file);
}

/** kafkajs SASL settings of a principal of the test broker (default: the admin). */
export function kafkaSasl(principal: string = ADMIN, credentialsFile?: string): ScramSasl {
  const credential: Credential | undefined = kafkaCredentials(credentialsFile)[principal];
  if (!credential) throw new Error(`no Kafka principal ${principal}`);
  return sasl(credential);
}

export interface KafkaHelperOptions {
  /** The portal's `KAFKA_TOPIC_PREFIX` (topics are named `<prefix><topic>`). */
  prefix?: string;
  /** Default: process.env.KAFKA_BROKERS. */
  brokers?: string;
  /** The principal to authenticate as (see tools/stack/kafka-access.js); default the admin. */
  principal?: string;
}

/** A consumer of `collectEvents`: its group (physical name) when the principal may read only its own. */
export interface CollectOptions extends KafkaHelperOptions {
  fromBeginning?: boolean;
  /** default a throwaway `e2e-collector-<uuid>` (which only the admin may join) */
  groupId?: string;
}

export interface CollectedEvent<T = unknown> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** The JSON-parsed value (the raw string when it is not JSON). */
  value: T;
}

export interface EventCollector<T = unknown> {
  /** Every message seen so far, in arrival order. */
  readonly events: CollectedEvent<T>[];
  /** Resolves with the first collected event matching `predicate` (already seen or yet to come). */
  waitFor(
    predicate: (event: CollectedEvent<T>) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<CollectedEvent<T>>;
  stop(): Promise<void>;
}

export interface ProducedMessage {
  key?: string | null;
  /** Objects are sent as JSON. */
  value: unknown;
  headers?: Record<string, string>;
}

/**
 * As the admin: the topics under `prefix` and every principal's ACLs on them (tools/stack/kafka-access.js),
 * so clients of other principals (`principal` of `produce`) may use them as the apps do.
 */
export async function provisionKafkaPrefix(prefix: string): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run e2e tests through the e2e jest project');
  await provisionKafka({
    brokers,
    credentials: kafkaCredentials(),
    prefix,
    partitions: Number(process.env.KAFKA_PARTITIONS ?? 3),
  });
}

function kafkaClient(options: KafkaHelperOptions): Kafka {
  const brokers = options.brokers ?? process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run e2e tests through the e2e jest project');
  return new Kafka({
    clientId: `e2e-${randomUUID().slice(0, 8)}`,
    brokers: brokers.split(','),
    sasl: kafkaSasl(options.principal),
    logLevel: logLevel.NOTHING,
  });
}

/** Creates the topic like the services do (KAFKA_PARTITIONS partitions) if it is missing. */
async function ensureTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const numPartitions = Number(process.env.KAFKA_PARTITIONS ?? 3);
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return out;
}

function parse(value: Buffer | null): unknown {
  if (value === null) return null;
  const text = value.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Consumes `<prefix><topic>` in a throwaway consumer group. With `fromBeginning: false` only the
 * messages written after this call resolves are collected.
 */
export async function collectEvents<T = unknown>(
  topic: string,
  options: CollectOptions = {},
): Promise<EventCollector<T>> {
  const fullTopic = `${options.prefix ?? ''}${topic}`;
  const kafka = kafkaClient(options);
  // Topics are created and inspected as the admin; the consumer reads as `options.principal`.
  const adminKafka = kafkaClient({ ...options, principal: undefined });
  await ensureTopic(adminKafka, fullTopic);

  // Reading from the beginning and skipping below the current end is exact, where "latest" would
  // depend on when the group's first fetch happens.
  const startAt = new Map<number, bigint>();
  if (!options.fromBeginning) {
    const admin = adminKafka.admin();
    await admin.connect();
    try {
      // A topic just created (by an app starting at the same time) may not have its leaders yet.
      const offsets = await waitFor(() => admin.fetchTopicOffsets(fullTopic), {
        timeoutMs: 20_000,
        description: `the offsets of ${fullTopic}`,
      });
      for (const p of offsets) startAt.set(p.partition, BigInt(p.high));
    } finally {
      await admin.disconnect();
    }
  }

  const events: CollectedEvent<T>[] = [];
  const consumer = kafka.consumer({
    groupId: options.groupId ?? `e2e-collector-${randomUUID()}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.subscribe({ topic: fullTopic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic: from, partition, message }) => {
      if (BigInt(message.offset) < (startAt.get(partition) ?? 0n)) return Promise.resolve();
      events.push({
        topic: from,
        partition,
        offset: message.offset,
        key: message.key?.toString('utf8') ?? null,
        headers: headersToStrings(message.headers),
        value: parse(message.value) as T,
      });
      return Promise.resolve();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`collectEvents: no group join on ${fullTopic} within 30 s`)), 30_000);
  });
  try {
    await Promise.race([joined, timeout]);
  } catch (err) {
    await consumer.disconnect();
    throw err;
  } finally {
    clearTimeout(timer);
  }

  return {
    events,
    waitFor: (predicate, { timeoutMs = 15_000 } = {}) =>
      waitFor(() => events.find(predicate), { timeoutMs, description: `an event on ${fullTopic}` }),
    stop: () => consumer.disconnect(),
  };
}

/** Writes messages to `<prefix><topic>` (created first if missing) and waits for the acks. */
export async function produce(
  topic: string,
  messages: ProducedMessage[],
  options: KafkaHelperOptions = {},
): Promise<void> {
  const fullTopic = `${options.prefix ?? ''}${topic}`;
  await ensureTopic(kafkaClient({ ...options, principal: undefined }), fullTopic);
  const producer = kafkaClient(options).producer();
  await producer.connect();
  try {
    await producer.send({
      topic: fullTopic,
      messages: messages.map((m) => ({
        key: m.key ?? null,
        value: typeof m.value === 'string' || Buffer.isBuffer(m.value) ? m.value : JSON.stringify(m.value),
        headers: m.headers,
      })),
    });
  } finally {
    await producer.disconnect();
  }
}
