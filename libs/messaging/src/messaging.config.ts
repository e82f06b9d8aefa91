import { logLevel } from 'kafkajs';
import { z } from 'zod';
import type { MessagingOptions, ResolvedMessagingOptions } from './messaging.options';

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

/**
 * Messaging settings an app may add to its own config schema (next to KAFKA_BROKERS,
 * KAFKA_TOPIC_PREFIX and KAFKA_PARTITIONS):
 * - `OUTBOX_SWEEP_INTERVAL_MS` (default 300000): how often the relay reads every document of its
 *   collections for entries a crash left unpublished (also once at start, which is what recovers a
 *   restarted process's leftovers; 0 turns the timer off); a collection watched with a pending set
 *   is read by its members only;
 * - `OUTBOX_FULL_SWEEP_INTERVAL_MS` (default 3600000): how often such a collection is read whole all
 *   the same (also at start), the safety net for members Redis lost;
 * - `OUTBOX_CRASH_AFTER_WRITE` (default false): fault injection for the fault suite; the relay then
 *   skips the publish right after a write, so only the sweep publishes;
 * - `KAFKA_LAG_METRICS_INTERVAL_MS` (default 15000): how often a consumer app reads its groups'
 *   committed offsets and the topics' end offsets for `kafka_consumer_lag_messages` (only while a
 *   METRICS_TOKEN lets a scraper read them).
 */
export const messagingConfigSchema = z.object({
  OUTBOX_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(300_000),
  OUTBOX_FULL_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).default(3_600_000),
  OUTBOX_CRASH_AFTER_WRITE: flag,
  KAFKA_LAG_METRICS_INTERVAL_MS: z.coerce.number().int().min(1000).default(15_000),
});

export type MessagingConfig = z.infer<typeof messagingConfigSchema>;

const optionsSchema = z.object({
  clientId: z.string().min(1),
  brokers: z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1),
  sasl: z
    .object({ mechanism: z.literal('scram-sha-512'), username: z.string().min(1), password: z.string().min(1) })
    .optional(),
  manageTopics: z.boolean().default(true),
  topicPrefix: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  partitions: z.number().int().min(1).default(3),
  replicationFactor: z.number().int().min(-1).default(-1),
  logLevel: z.nativeEnum(logLevel).default(logLevel.WARN),
  publishTimeoutMs: z.number().int().min(100).default(10_000),
  startupTimeoutMs: z.number().int().min(0).default(120_000),
  lagMetricsIntervalMs: z.number().int().min(100).default(15_000),
  outbox: z
    .object({
      sweepIntervalMs: z.number().int().min(0).default(300_000),
      fullSweepIntervalMs: z.number().int().min(1000).default(3_600_000),
      retryIntervalMs: z.number().int().min(1).default(1000),
      sweepMinAgeMs: z.number().int().min(0).default(2000),
      sweepBatchSize: z.number().int().min(1).default(100),
      crashAfterWrite: z.boolean().default(false),
    })
    .default({
      sweepIntervalMs: 300_000,
      fullSweepIntervalMs: 3_600_000,
      retryIntervalMs: 1000,
      sweepMinAgeMs: 2000,
      sweepBatchSize: 100,
      crashAfterWrite: false,
    }),
  consumer: z
    .object({
      retryBackoffMs: z.number().int().min(0).default(200),
      maxRetryDelayMs: z.number().int().min(1).default(5000),
      sessionTimeoutMs: z.number().int().min(1000).default(15_000),
      rebalanceTimeoutMs: z.number().int().min(1000).default(30_000),
      heartbeatIntervalMs: z.number().int().min(100).default(1_000),
    })
    .default({
      retryBackoffMs: 200,
      maxRetryDelayMs: 5000,
      sessionTimeoutMs: 15_000,
      rebalanceTimeoutMs: 30_000,
      heartbeatIntervalMs: 1_000,
    }),
});

/** Fills defaults and fails fast, with the field named, on a bad value. */
export function resolveMessagingOptions(options: MessagingOptions): ResolvedMessagingOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid messaging options: ${issues}`);
  }
  return parsed.data;
}
