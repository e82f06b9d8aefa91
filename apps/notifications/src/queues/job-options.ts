import type { JobTraceCarrier } from '@app/platform';
import type { JobsOptions } from 'bullmq';
import type { NotificationsConfig } from '../config';

/**
 * The data of every email and SMS job: the message record holds everything else, and the trace
 * context of whoever enqueued it rides along (`withJobTrace`, read back by `inJobSpan`).
 */
export interface DeliveryJobData extends JobTraceCarrier {
  messageId: string;
}

/** Attempts, backoff and retention of every delivery job, in one place. */
export function deliveryJobOptions(config: NotificationsConfig): JobsOptions {
  return {
    attempts: config.NOTIFICATIONS_JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.NOTIFICATIONS_BACKOFF_MS, jitter: 0.5 },
    // Completed jobs may go: the message record is the lasting sent-marker. Failed jobs stay for inspection.
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: false,
  };
}

/** BullMQ key prefix: the deployment's Redis prefix, then BullMQ's usual `bull`. */
export function bullPrefix(config: NotificationsConfig): string {
  return `${config.REDIS_PREFIX}bull`;
}
