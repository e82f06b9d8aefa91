import { KafkaJSError } from 'kafkajs';

/**
 * Kafka could not take an event in time (broker down, no leader, request timed out). Retriable by
 * the caller: an HTTP route answers 503 with `Retry-After`; the outbox sweep tries again later.
 */
export class BrokerUnavailableError extends Error {
  constructor(
    message: string,
    /** Seconds a client should wait before trying again. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BrokerUnavailableError';
  }
}

/** Whether an error comes from kafkajs (connection, timeout, leader, retries exhausted...). */
export function isKafkaError(error: unknown): boolean {
  return error instanceof KafkaJSError || (error instanceof Error && error.name.startsWith('KafkaJS'));
}

/** Whether a group-membership error means "rejoin the group" (kafkajs rejoins when it sees one). */
export function isRebalanceError(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return (
    type === 'REBALANCE_IN_PROGRESS' ||
    type === 'NOT_COORDINATOR_FOR_GROUP' ||
    type === 'ILLEGAL_GENERATION' ||
    type === 'UNKNOWN_MEMBER_ID'
  );
}

/** Rejects with `onTimeout()` when `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
