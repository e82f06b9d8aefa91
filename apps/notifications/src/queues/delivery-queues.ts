import {
  NotificationChannels,
  NotificationJobs,
  NotificationQueues,
  type NotificationChannel,
  type NotificationQueue,
} from '@app/contracts';
import { withJobTrace } from '@app/platform';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { GroupCommit } from '../common/group-commit';
import { bullPrefix, deliveryJobOptions, type CarriedMessage, type DeliveryJobData } from './job-options';
import { RedisConnections } from './redis-connections';

export type DeliveryChannel = Exclude<NotificationChannel, 'in_app'>;

export const QUEUE_OF_CHANNEL: Record<DeliveryChannel, NotificationQueue> = {
  email: NotificationQueues.Email,
  sms: NotificationQueues.Sms,
};

const JOB_OF_CHANNEL = {
  email: NotificationJobs.SendEmail,
  sms: NotificationJobs.SendSms,
} as const;

export function isDeliveryChannel(channel: NotificationChannel): channel is DeliveryChannel {
  return channel === NotificationChannels.Email || channel === NotificationChannels.Sms;
}

/** The producer side of the `email` and `sms` queues. */
@Injectable()
export class DeliveryQueues implements OnApplicationShutdown {
  readonly queues: Record<DeliveryChannel, Queue<DeliveryJobData>>;
  readonly connection: Redis;
  /** the jobs added meanwhile, per channel: one `addBulk` (one Redis round trip) each */
  private readonly adds: Record<DeliveryChannel, GroupCommit<{ data: DeliveryJobData; delay: number }, void>>;

  constructor(@Inject(NOTIFICATIONS_CONFIG) config: NotificationsConfig, redis: RedisConnections) {
    const connection = redis.create();
    this.connection = connection;
    const options = { connection, prefix: bullPrefix(config), defaultJobOptions: deliveryJobOptions(config) };
    this.queues = {
      email: new Queue<DeliveryJobData>(QUEUE_OF_CHANNEL.email, options),
      sms: new Queue<DeliveryJobData>(QUEUE_OF_CHANNEL.sms, options),
    };
    const adds = (channel: DeliveryChannel) =>
      new GroupCommit<{ data: DeliveryJobData; delay: number }, void>(
        async (jobs) => {
          await this.queues[channel].addBulk(
            jobs.map(({ data, delay }) => ({
              name: JOB_OF_CHANNEL[channel],
              data,
              // The queue's default job options (attempts, backoff, retention) apply as with `add`.
              opts: { jobId: data.messageId, delay },
            })),
          );
          return jobs.map(() => undefined);
        },
        { maxBatch: 100, maxInFlight: 2 },
      );
    this.adds = { email: adds('email'), sms: adds('sms') };
  }

  /**
   * Adds the job for a message; a no-op while a job with that id is kept. `message` is the copy of
   * a record inserted just now, for the job's first start (see `CarriedMessage`). Resolves once
   * Redis has the job (it goes in one `addBulk` with the other jobs added meanwhile).
   */
  async enqueue(
    channel: DeliveryChannel,
    messageId: string,
    notBefore: Date | null,
    now: Date,
    message?: CarriedMessage,
  ): Promise<void> {
    const delay = notBefore ? Math.max(0, notBefore.getTime() - now.getTime()) : 0;
    await this.adds[channel].submit({ data: withJobTrace(message ? { messageId, message } : { messageId }), delay });
  }

  /** The job's state in Redis, or undefined when Redis has no such job. */
  async jobState(channel: DeliveryChannel, messageId: string): Promise<string | undefined> {
    const job = await this.queues[channel].getJob(messageId);
    if (!job) return undefined;
    return job.getState();
  }

  async counts(channel: DeliveryChannel): Promise<Record<string, number>> {
    return this.queues[channel].getJobCounts('waiting', 'delayed', 'active', 'failed', 'prioritized');
  }

  /**
   * When the job that has waited longest was added (BullMQ's `timestamp`), or undefined when none
   * waits: one range read of the wait list's oldest end, however long the list.
   */
  async oldestWaitingAddedAt(channel: DeliveryChannel): Promise<Date | undefined> {
    const [oldest] = await this.queues[channel].getJobs(['wait'], 0, 0, true);
    return oldest ? new Date(oldest.timestamp) : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(Object.values(this.queues).map((q) => q.close()));
  }
}
