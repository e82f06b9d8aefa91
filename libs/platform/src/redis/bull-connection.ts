import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ, the one kind a service opens besides its {@link RedisConnection}:
 * no ioredis key prefix (BullMQ refuses one; queues and workers take `prefix`) and
 * `maxRetriesPerRequest: null`, which BullMQ requires of the connections its workers block on.
 */
export function bullConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}
