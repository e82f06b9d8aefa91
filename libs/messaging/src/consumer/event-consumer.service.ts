import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { dlqTopic, type EventEnvelope, logicalTopicName, type Topic, topicName, validateEvent } from '@app/contracts';
import type { Batch, Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { KafkaConnections } from '../kafka-connections';
import { MessageHeaders, readHeaders } from '../message-headers';
import { KAFKA_CLIENT, MESSAGING_OPTIONS, type ResolvedMessagingOptions } from '../messaging.options';
import { isRebalanceError } from '../broker-unavailable.error';
import { TopicAdmin } from '../topic-admin.service';
import { inConsumeBatchSpans, inConsumeSpan } from '../tracing/event-trace';
import { ConsumerMetrics, type DeadLetterCause } from './consumer-metrics';
import { OffsetTracker, runByKey } from './keyed-runner';
import { isPermanentEventError, retryDelayMs } from './permanent-event-error';

/** Where an event came from, handed to the handler. */
export interface EventMeta {
  /** Logical topic (without the prefix). */
  topic: string;
  partition: number;
  offset: string;
  headers: Record<string, string>;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
}

export interface BatchMeta {
  topic: string;
  partition: number;
  heartbeat(): Promise<void>;
}

export interface ConsumerRunOptions {
  /** Consumer group (one per service, see `ConsumerGroups`); prefixed like topics. */
  groupId: string;
  topics: readonly Topic[];
  /** Applies one event; must be idempotent. Resolving means the effect is stored. */
  handle(envelope: EventEnvelope, meta: EventMeta): Promise<void>;
  /**
   * Optional fast path for a whole partition batch of valid events. If it throws, the batch falls
   * back to `handle`, event by event, with retries and the DLQ.
   */
  handleBatch?(envelopes: EventEnvelope[], meta: BatchMeta): Promise<void>;
  /** Keys handled at the same time within a batch (events of one key stay in order). Default 8. */
  concurrency?: number;
  /** Partitions handled at the same time. Default: the configured partition count. */
  partitionsConsumedConcurrently?: number;
  /** Start of a new group: earliest (default) or latest. */
  fromBeginning?: boolean;
}

/** A running consumer. */
export interface RunningConsumer {
  readonly groupId: string;
  /** Resolves once the consumer first joined its group. */
  readonly joined: Promise<void>;
  /** Finishes the event in hand, commits, leaves the group. */
  stop(): Promise<void>;
}

interface Decoded {
  index: number;
  message: KafkaMessage;
  envelope?: EventEnvelope;
  reason?: string;
}

/**
 * At-least-once consumption with kafkajs `eachBatch`: offsets are resolved and committed only after
 * the handler resolved; what cannot be parsed or validated, an event whose type is not a contract of
 * the topic it came on, and what keeps failing, goes to `<topic>.dlq` with the reason, and the
 * partition moves on.
 */
@Injectable()
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly running = new Set<RunningConsumer>();

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly connections: KafkaConnections,
    private readonly topicAdmin: TopicAdmin,
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    @Optional() private readonly metrics?: ConsumerMetrics,
  ) {}

  /**
   * Starts a consumer. At boot the broker may be starting or topics just created by another app may
   * have no leader yet: topic set-up and the start are retried with backoff for `startupTimeoutMs`;
   * after that the consumer keeps trying in the background instead of failing the app.
   */
  async run(runOptions: ConsumerRunOptions): Promise<RunningConsumer> {
    const groupId = topicName(runOptions.groupId, this.options.topicPrefix);
    let markJoined!: () => void;
    const joined = new Promise<void>((resolve) => (markJoined = resolve));
    let stopping = false;
    let current: Consumer | undefined;
    let restarts = 0;

    const start = async (): Promise<void> => {
      await this.topicAdmin.ensureTopics();
      const consumer = this.createConsumer(groupId);
      current = consumer;
      consumer.on(consumer.events.GROUP_JOIN, () => {
        restarts = 0;
        markJoined();
      });
      // kafkajs restarts a crashed consumer itself on retriable errors; on the others (e.g. a broker
      // gone longer than its retries) it stops for good: start a new one, with backoff, until it joins.
      consumer.on(consumer.events.CRASH, (event) => {
        if (event.payload.restart || stopping) return;
        restarts += 1;
        const delay = retryDelayMs(restarts, 1_000, this.options.consumer.maxRetryDelayMs);
        this.logger.error(`consumer ${groupId} crashed (${describe(event.payload.error)}); restarting in ${delay} ms`);
        setTimeout(() => void this.restart(consumer, start, () => stopping), delay).unref();
      });
      try {
        await consumer.connect();
        await consumer.subscribe({
          topics: runOptions.topics.map((t) => topicName(t, this.options.topicPrefix)),
          fromBeginning: runOptions.fromBeginning ?? true,
        });
        await consumer.run({
          eachBatchAutoResolve: false,
          autoCommit: true,
          partitionsConsumedConcurrently: runOptions.partitionsConsumedConcurrently ?? this.options.partitions,
          eachBatch: (payload) => this.processBatch(payload, runOptions, () => stopping),
        });
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        throw error;
      }
    };

    const deadline = Date.now() + this.options.startupTimeoutMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await start();
        break;
      } catch (error) {
        const delay = retryDelayMs(attempt, 250, this.options.consumer.maxRetryDelayMs);
        if (Date.now() + delay > deadline) {
          this.logger.error(`consumer ${groupId} could not start yet, retrying in the background: ${describe(error)}`);
          setTimeout(() => void this.restart(undefined, start, () => stopping), delay).unref();
          break;
        }
        this.logger.warn(
          `consumer ${groupId} start failed (attempt ${attempt}), retrying in ${delay} ms: ${describe(error)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }

    this.metrics?.watch(
      groupId,
      runOptions.topics.map((t) => topicName(t, this.options.topicPrefix)),
    );
    const handle: RunningConsumer = {
      groupId,
      joined,
      stop: async () => {
        if (stopping) return;
        stopping = true;
        this.running.delete(handle);
        this.metrics?.unwatch(groupId);
        // Batches in hand see `stopping` and give up what is not done; a broker that is gone must
        // not hold the shutdown past the time the group would wait for us anyway.
        const consumer = current;
        if (!consumer) return;
        const limit = this.options.consumer.rebalanceTimeoutMs;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          consumer
            .disconnect()
            .catch((error: unknown) => this.logger.warn(`consumer ${groupId} disconnect: ${describe(error)}`)),
          new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              this.logger.warn(`consumer ${groupId} did not stop within ${limit} ms; leaving it`);
              resolve();
            }, limit);
          }),
        ]);
        clearTimeout(timer);
      },
    };
    this.running.add(handle);
    return handle;
  }

  private createConsumer(groupId: string): Consumer {
    return this.kafka.consumer({
      groupId,
      sessionTimeout: this.options.consumer.sessionTimeoutMs,
      rebalanceTimeout: this.options.consumer.rebalanceTimeoutMs,
      heartbeatInterval: this.options.consumer.heartbeatIntervalMs,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      // Bigger fetches make bigger batches, and the hot paths write a batch at a time.
      maxBytesPerPartition: 4 * 1024 * 1024,
      retry: { retries: 10, maxRetryTime: 30_000 },
    });
  }

  /** Replaces a crashed consumer; a failed start is retried by its own CRASH or by the next attempt here. */
  private async restart(
    crashed: Consumer | undefined,
    start: () => Promise<void>,
    isStopping: () => boolean,
  ): Promise<void> {
    if (isStopping()) return;
    await crashed?.disconnect().catch(() => undefined);
    try {
      await start();
    } catch (error) {
      this.logger.error(`consumer restart failed, trying again: ${describe(error)}`);
      setTimeout(() => void this.restart(crashed, start, isStopping), this.options.consumer.maxRetryDelayMs).unref();
    }
  }

  /** Stops every consumer this process runs (on shutdown, before the producer disconnects). */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.running].map((c) => c.stop()));
  }

  private async processBatch(
    payload: EachBatchPayload,
    runOptions: ConsumerRunOptions,
    isStopping: () => boolean,
  ): Promise<void> {
    const { batch, resolveOffset, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    // A rebalance seen by a heartbeat ends the batch early: what is not done is left uncommitted and
    // the error goes back to kafkajs, which rejoins at once instead of after the batch.
    let rebalance: Error | undefined;
    const heartbeat = async (): Promise<void> => {
      try {
        await payload.heartbeat();
      } catch (error) {
        if (isRebalanceError(error) && error instanceof Error) rebalance ??= error;
        throw error;
      }
    };
    const shouldStop = () => isStopping() || !isRunning() || isStale() || rebalance !== undefined;
    const topic = logicalTopicName(batch.topic, this.options.topicPrefix);
    const tracker = new OffsetTracker(
      batch.messages.map((m) => m.offset),
      (offset) => resolveOffset(offset),
    );
    // kafkajs throttles heartbeats itself; the timer keeps the membership alive during slow handlers.
    const beat = setInterval(() => {
      heartbeat().catch(() => undefined);
    }, this.options.consumer.heartbeatIntervalMs);
    try {
      const decoded = batch.messages.map((message, index) => decode(message, index, topic));
      const valid: Decoded[] = [];
      for (const item of decoded) {
        if (item.envelope) {
          valid.push(item);
        } else {
          await this.deadLetterUntilSent(batch, item.message, item.reason ?? 'invalid', 'invalid', shouldStop);
          tracker.markDone(item.index);
        }
      }
      if (valid.length > 0 && !(await this.tryHandleBatch(runOptions, valid, topic, batch, heartbeat, tracker))) {
        await runByKey(
          valid,
          (item) => item.envelope?.key ?? '',
          async (item) => {
            if (shouldStop()) return false;
            const done = await this.handleOne(runOptions, item, topic, batch, heartbeat, shouldStop);
            if (done) tracker.markDone(item.index);
            return done;
          },
          runOptions.concurrency ?? 8,
        );
      }
      if (rebalance === undefined) await commitOffsetsIfNecessary();
    } finally {
      clearInterval(beat);
    }
    if (rebalance !== undefined) {
      this.logger.warn(`${batch.topic}[${batch.partition}]: group rebalancing, leaving the batch to rejoin`);
      throw rebalance;
    }
  }

  private async tryHandleBatch(
    runOptions: ConsumerRunOptions,
    valid: Decoded[],
    topic: string,
    batch: Batch,
    heartbeat: () => Promise<void>,
    tracker: OffsetTracker,
  ): Promise<boolean> {
    if (!runOptions.handleBatch) return false;
    const handleBatch = runOptions.handleBatch.bind(runOptions);
    const items = valid.map((item) => ({
      envelope: item.envelope as EventEnvelope,
      headers: readHeaders(item.message.headers),
    }));
    try {
      await inConsumeBatchSpans(topic, items, () =>
        handleBatch(
          items.map((item) => item.envelope),
          { topic, partition: batch.partition, heartbeat },
        ),
      );
    } catch (error) {
      this.logger.warn(
        `handleBatch failed on ${batch.topic}[${batch.partition}], retrying one by one: ${describe(error)}`,
      );
      return false;
    }
    for (const item of valid) tracker.markDone(item.index);
    return true;
  }

  /**
   * Handles one event. A permanent failure (`PermanentEventError`) is dead-lettered at once; any
   * other error is retried with capped exponential backoff for as long as it takes, so the partition
   * waits for the store or broker to come back instead of losing events. False when the consumer
   * stopped before the event was done (nothing is committed past it).
   */
  private async handleOne(
    runOptions: ConsumerRunOptions,
    item: Decoded,
    topic: string,
    batch: Batch,
    heartbeat: () => Promise<void>,
    shouldStop: () => boolean,
  ): Promise<boolean> {
    const envelope = item.envelope as EventEnvelope;
    const meta: EventMeta = {
      topic,
      partition: batch.partition,
      offset: item.message.offset,
      headers: readHeaders(item.message.headers),
      heartbeat,
    };
    return inConsumeSpan(topic, envelope, meta.headers, () =>
      this.handleWithRetries(runOptions, item, envelope, meta, batch, heartbeat, shouldStop),
    );
  }

  private async handleWithRetries(
    runOptions: ConsumerRunOptions,
    item: Decoded,
    envelope: EventEnvelope,
    meta: EventMeta,
    batch: Batch,
    heartbeat: () => Promise<void>,
    shouldStop: () => boolean,
  ): Promise<boolean> {
    const { retryBackoffMs, maxRetryDelayMs } = this.options.consumer;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await runOptions.handle(envelope, meta);
        return true;
      } catch (error) {
        if (isPermanentEventError(error)) {
          const reason = `permanent failure: ${describe(error)}`;
          this.logger.error(`${envelope.type} ${envelope.id} on ${batch.topic}[${batch.partition}] ${reason}`);
          await this.deadLetterUntilSent(batch, item.message, reason, 'permanent', shouldStop);
          return !shouldStop();
        }
        if (shouldStop()) return false;
        const delay = retryDelayMs(attempt, retryBackoffMs, maxRetryDelayMs);
        this.logger.warn(
          `${envelope.type} ${envelope.id}: attempt ${attempt} failed, retrying in ${delay} ms: ${describe(error)}`,
        );
        if (!(await sleepUnlessStopped(delay, shouldStop))) return false;
        await heartbeat().catch(() => undefined);
      }
    }
  }

  /** The DLQ write itself can hit a broker outage: retried like a transient failure. */
  private async deadLetterUntilSent(
    batch: Batch,
    message: KafkaMessage,
    reason: string,
    cause: DeadLetterCause,
    shouldStop: () => boolean,
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.deadLetter(batch, message, reason);
        this.metrics?.deadLettered(batch.topic, cause);
        return;
      } catch (error) {
        if (shouldStop()) throw error;
        this.logger.warn(`DLQ write failed (attempt ${attempt}), retrying: ${describe(error)}`);
        const delay = retryDelayMs(
          attempt,
          this.options.consumer.retryBackoffMs,
          this.options.consumer.maxRetryDelayMs,
        );
        if (!(await sleepUnlessStopped(delay, shouldStop))) throw error;
      }
    }
  }

  private async deadLetter(batch: Batch, message: KafkaMessage, reason: string): Promise<void> {
    const headers: IHeaders = {
      ...message.headers,
      [MessageHeaders.DlqReason]: reason.slice(0, 2000),
      [MessageHeaders.OriginalTopic]: batch.topic,
      [MessageHeaders.OriginalPartition]: String(batch.partition),
      [MessageHeaders.OriginalOffset]: message.offset,
    };
    const producer = await this.connections.getProducer();
    await producer.send({
      topic: dlqTopic(batch.topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.logger.warn(`dead-lettered ${batch.topic}[${batch.partition}]@${message.offset}: ${reason}`);
  }
}

/** Parses and validates one message; `topic` (logical) must carry its type, see `TOPIC_CONTRACTS`. */
function decode(message: KafkaMessage, index: number, topic: string): Decoded {
  if (!message.value || message.value.length === 0) return { index, message, reason: 'empty message' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return { index, message, reason: `unparseable JSON: ${describe(error)}` };
  }
  const result = validateEvent(parsed, topic);
  return result.ok ? { index, message, envelope: result.envelope } : { index, message, reason: result.reason };
}

/** Sleeps in small steps; false when the consumer is stopping. */
async function sleepUnlessStopped(ms: number, shouldStop: () => boolean): Promise<boolean> {
  const step = 100;
  for (let waited = 0; waited < ms; waited += step) {
    if (shouldStop()) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(step, ms - waited)));
  }
  return !shouldStop();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
