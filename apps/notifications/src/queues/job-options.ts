import type { JobTraceCarrier } from '@app/platform';
import type { JobsOptions } from 'bullmq';
import type { NotificationsConfig } from '../config';
import type { MessageRecord } from '../messages/message.schema';

/**
 * What a worker sends and reports of a message, copied from its record into the job the dispatcher
 * adds right after inserting that record `queued`. A fresh record is unsettled, so the job's first
 * start sends from this copy without reading the record; any later start (a retry, a stalled
 * restart) reads the record, as does a job added without it (reconciliation, a replayed event).
 */
export type CarriedMessage = Pick<
  MessageRecord,
  '_id' | 'userId' | 'kind' | 'channel' | 'to' | 'subject' | 'text' | 'html' | 'sourceId' | 'correlationId'
> & {
  /** as JSON carries it */
  sourceOccurredAt: string | null;
};

/** The copy a job carries of a record just inserted. */
export function carriedMessage(record: MessageRecord): CarriedMessage {
  return {
    _id: record._id,
    userId: record.userId,
    kind: record.kind,
    channel: record.channel,
    to: record.to,
    subject: record.subject,
    text: record.text,
    html: record.html,
    sourceId: record.sourceId,
    correlationId: record.correlationId ?? null,
    sourceOccurredAt: record.sourceOccurredAt ? record.sourceOccurredAt.toISOString() : null,
  };
}

/**
 * The data of every email and SMS job: the message id (the record holds everything else), the copy
 * of a record the dispatcher just inserted (`CarriedMessage`), and the trace context of whoever
 * enqueued it (`withJobTrace`, read back by `inJobSpan`).
 */
export interface DeliveryJobData extends JobTraceCarrier {
  messageId: string;
  message?: CarriedMessage;
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
