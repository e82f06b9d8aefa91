import { NotificationJobs, NotificationQueues, WEBHOOK_TEST_EVENTS_PER_HOUR } from '@app/contracts';
import { RedisQuota, withJobTrace, type JobTraceCarrier, type QuotaLimit } from '@app/platform';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { bullPrefix } from '../queues/job-options';
import { RedisConnections } from '../queues/redis-connections';

export interface WebhookJobData extends JobTraceCarrier {
  deliveryId: string;
  /** a redelivery by hand: one attempt, sent at once, not held back by the parcel's order */
  manual?: boolean;
  /** a test event sent by hand: one attempt; its failure does not count towards disabling the endpoint */
  test?: boolean;
}

const TEST_EVENTS: QuotaLimit = {
  name: 'webhook-test-events',
  points: WEBHOOK_TEST_EVENTS_PER_HOUR,
  durationSeconds: 3600,
  reason: `at most ${WEBHOOK_TEST_EVENTS_PER_HOUR} test events per endpoint per hour; try again later`,
};

/** Delivery-log entries kept per endpoint (the newest); older deliveries are deleted with their entry. */
export const DELIVERY_LOG_LENGTH = 1000;

/** Attempts, backoff and retention of webhook jobs, in one place. */
export function webhookJobOptions(config: NotificationsConfig): JobsOptions {
  return {
    attempts: config.WEBHOOK_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.WEBHOOK_BACKOFF_MS },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    // The delivery record is the lasting log; a failed job is kept a week for inspection.
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** When the retry after `attemptsMade` failed attempts is due (BullMQ's exponential backoff). */
export function nextRetryDelayMs(config: NotificationsConfig, attemptsMade: number): number {
  return config.WEBHOOK_BACKOFF_MS * 2 ** (attemptsMade - 1);
}

/**
 * The `webhook` queue and the two Redis structures beside it:
 * - the order of each (endpoint, parcel or pickup): a sorted set of pending delivery ids scored by a
 *   global sequence taken when the event was consumed; only its head may be sent;
 * - the delivery log of each endpoint: its delivery ids scored by the same sequence (newest first
 *   in the API), capped at DELIVERY_LOG_LENGTH.
 */
@Injectable()
export class WebhookQueue implements OnApplicationShutdown {
  readonly queue: Queue<WebhookJobData>;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly quota: RedisQuota;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    connections: RedisConnections,
  ) {
    this.redis = connections.create();
    this.prefix = `${config.REDIS_PREFIX}webhooks:`;
    this.quota = new RedisQuota(this.redis, `${this.prefix}quota`);
    this.queue = new Queue<WebhookJobData>(NotificationQueues.Webhook, {
      connection: this.redis,
      prefix: bullPrefix(config),
      defaultJobOptions: webhookJobOptions(config),
    });
  }

  private orderKey(endpointId: string, key: string): string {
    return `${this.prefix}order:${endpointId}:${key}`;
  }

  private logKey(endpointId: string): string {
    return `${this.prefix}log:${endpointId}`;
  }

  /**
   * Puts a new delivery in its order and its endpoint's log, then adds its job (a no-op while a job
   * with its id is kept). Called in the order events are consumed, which is Kafka's per-parcel order.
   * Answers the delivery ids that fell off the end of the log.
   */
  async enqueue(delivery: { id: string; endpointId: string; orderKey: string | null }): Promise<string[]> {
    const seq = await this.redis.incr(`${this.prefix}seq`);
    const multi = this.redis.multi();
    if (delivery.orderKey) multi.zadd(this.orderKey(delivery.endpointId, delivery.orderKey), 'NX', seq, delivery.id);
    multi.zadd(this.logKey(delivery.endpointId), 'NX', seq, delivery.id);
    multi.zrange(this.logKey(delivery.endpointId), 0, -(DELIVERY_LOG_LENGTH + 1));
    multi.zremrangebyrank(this.logKey(delivery.endpointId), 0, -(DELIVERY_LOG_LENGTH + 1));
    const results = (await multi.exec()) ?? [];
    await this.addJob(delivery.id);
    const dropped = results.at(-2)?.[1];
    return Array.isArray(dropped) ? (dropped as string[]) : [];
  }

  /** A test event: in the endpoint's log like any delivery, in no order, one attempt at once. */
  async enqueueTest(delivery: { id: string; endpointId: string }): Promise<string[]> {
    const seq = await this.redis.incr(`${this.prefix}seq`);
    const multi = this.redis.multi();
    multi.zadd(this.logKey(delivery.endpointId), 'NX', seq, delivery.id);
    multi.zrange(this.logKey(delivery.endpointId), 0, -(DELIVERY_LOG_LENGTH + 1));
    multi.zremrangebyrank(this.logKey(delivery.endpointId), 0, -(DELIVERY_LOG_LENGTH + 1));
    const results = (await multi.exec()) ?? [];
    await this.queue.add(NotificationJobs.SendWebhook, withJobTrace({ deliveryId: delivery.id, test: true }), {
      jobId: delivery.id,
      attempts: 1,
    });
    const dropped = results.at(-2)?.[1];
    return Array.isArray(dropped) ? (dropped as string[]) : [];
  }

  /** Counts a test event of the endpoint; refuses (429 with Retry-After) past WEBHOOK_TEST_EVENTS_PER_HOUR. */
  async takeTestEvent(endpointId: string): Promise<void> {
    await this.quota.take([{ limit: TEST_EVENTS, key: endpointId }]);
  }

  async addJob(deliveryId: string): Promise<void> {
    await this.queue.add(NotificationJobs.SendWebhook, withJobTrace({ deliveryId }), { jobId: deliveryId });
  }

  /** A redelivery by hand: its own job id, one attempt. */
  async addManual(deliveryId: string, number: number): Promise<void> {
    await this.queue.add(NotificationJobs.SendWebhook, withJobTrace({ deliveryId, manual: true }), {
      jobId: `${deliveryId}-r${number}`,
      attempts: 1,
    });
  }

  async hasJob(deliveryId: string): Promise<boolean> {
    return (await this.queue.getJob(deliveryId)) !== undefined;
  }

  /** The delivery that must go first in this order, if any is pending. */
  async head(endpointId: string, key: string): Promise<string | undefined> {
    const [first] = await this.redis.zrange(this.orderKey(endpointId, key), 0, 0);
    return first;
  }

  /** Takes a finished delivery out of its order, letting the next one go. */
  async release(endpointId: string, key: string | null, deliveryId: string): Promise<void> {
    if (key) await this.redis.zrem(this.orderKey(endpointId, key), deliveryId);
  }

  /** One page of an endpoint's log, newest first: ids and the cursor (a sequence number) of the next page. */
  async logPage(endpointId: string, limit: number, before?: number): Promise<{ ids: string[]; next: number | null }> {
    const max = before === undefined ? '+inf' : `(${before}`;
    const flat = await this.redis.zrevrangebyscore(
      this.logKey(endpointId),
      max,
      '-inf',
      'WITHSCORES',
      'LIMIT',
      0,
      limit + 1,
    );
    const rows: { id: string; seq: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) rows.push({ id: flat[i], seq: Number(flat[i + 1]) });
    const page = rows.slice(0, limit);
    return { ids: page.map((r) => r.id), next: rows.length > limit ? (page.at(-1)?.seq ?? null) : null };
  }

  async inLog(endpointId: string, deliveryId: string): Promise<boolean> {
    return (await this.redis.zscore(this.logKey(endpointId), deliveryId)) !== null;
  }

  /** Every delivery id of an endpoint's log, and the log itself removed (the endpoint was deleted). */
  async dropLog(endpointId: string): Promise<string[]> {
    const ids = await this.redis.zrange(this.logKey(endpointId), 0, -1);
    await this.redis.del(this.logKey(endpointId));
    return ids;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
