import {
  booleanSchema,
  DefaultPorts,
  kafkaConfigSchema,
  loadConfig,
  mongoConfigSchema,
  portSchema,
  redisConfigSchema,
  serviceBaseConfigSchema,
  serviceUrlsConfigSchema,
} from '@app/platform';
import { messagingConfigSchema } from '@app/messaging';
import { z } from 'zod';

export const SERVICE_NAME = 'notifications';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const hour = (fallback: number) => z.coerce.number().int().min(0).max(23).default(fallback);

export const notificationsConfigSchema = z
  .object({
    /** api: HTTP + Kafka consumers (enqueue only); worker: BullMQ workers only; all: both in one process */
    NOTIFICATIONS_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
    NOTIFICATIONS_PORT: portSchema(DefaultPorts.notifications),
    /**
     * Role worker only: a port for `/health/live` and `/health/ready` (a supervisor's probes; the
     * Kubernetes manifests use 3005). Unset, the worker listens on nothing.
     */
    NOTIFICATIONS_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    PORTAL_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL')
      .default('smtp://127.0.0.1:1025'),
    /** SMTP connections each worker process keeps open to the relay */
    SMTP_POOL_SIZE: positiveInt(5),
    MAIL_FROM: z.string().min(3).default('Postal Service <no-reply@postal.example>'),
    SMS_PROVIDER: z.enum(['sink', 'http']).default('sink'),
    /** the sink keeps one-time codes readable (the test harness reads them); development only */
    SMS_SINK_SHOW_CODES: booleanSchema(false),
    SMS_HTTP_BASE_URL: z.string().url().default('https://api.twilio.com'),
    SMS_HTTP_ACCOUNT_SID: z.string().default(''),
    SMS_HTTP_AUTH_TOKEN: z.string().default(''),
    SMS_FROM: z.string().default('+15005550006'),
    /** BullMQ attempts per message and the first backoff delay (doubled each time, with jitter) */
    NOTIFICATIONS_JOB_ATTEMPTS: positiveInt(10),
    NOTIFICATIONS_BACKOFF_MS: positiveInt(2000),
    /** provider rate limits: at most MAX jobs per DURATION ms, per queue */
    EMAIL_RATE_MAX: positiveInt(50),
    EMAIL_RATE_DURATION_MS: positiveInt(1000),
    SMS_RATE_MAX: positiveInt(10),
    SMS_RATE_DURATION_MS: positiveInt(1000),
    /**
     * measured (bench/worker-concurrency.ts, two interleaved rounds): with one store write per send a
     * worker's slots mostly wait on the store and Kafka; 40 drained fastest or near it in both rounds
     */
    EMAIL_WORKER_CONCURRENCY: positiveInt(40),
    /**
     * events of different keys the consumer handles at once per partition batch: their record
     * inserts and job adds share commands (group commit), so more at once means fewer commands
     */
    NOTIFICATIONS_EVENT_CONCURRENCY: positiveInt(8),
    SMS_WORKER_CONCURRENCY: positiveInt(2),
    /** how long a stopping worker waits for its jobs in hand; past it they are left to stalled-job recovery */
    NOTIFICATIONS_DRAIN_TIMEOUT_MS: positiveInt(25_000),
    QUIET_HOURS_START: hour(21),
    QUIET_HOURS_END: hour(8),
    /** how often planned messages missing from Redis are re-enqueued; 0 = only at start */
    RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
    /** how often the message and queue gauges of /metrics are recomputed (a scrape only reads them) */
    NOTIFICATIONS_METRICS_REFRESH_MS: z.coerce.number().int().min(100).default(15_000),
    /**
     * how often the sent and failed counts of `notifications_messages` are recomputed: an aggregate
     * over every message record (FerretDB reads them all), so hourly; the unsettled counts come from
     * their lists every NOTIFICATIONS_METRICS_REFRESH_MS
     */
    NOTIFICATIONS_SETTLED_COUNT_REFRESH_MS: z.coerce.number().int().min(100).default(3_600_000),
    /** a planned/queued record younger than this is left alone by reconciliation */
    RECONCILE_MIN_AGE_MS: z.coerce.number().int().min(0).default(10_000),
    /**
     * Webhook deliveries: attempts per delivery and the first retry delay, doubled each time. The
     * defaults (13 attempts from 20 s) spread the retries over about 23 hours: 20 s × (2^12 − 1).
     */
    WEBHOOK_ATTEMPTS: positiveInt(13),
    WEBHOOK_BACKOFF_MS: positiveInt(20_000),
    /** how long one delivery may take (connect, send, answer) before it counts as failed */
    WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
    WEBHOOK_WORKER_CONCURRENCY: positiveInt(20),
    /** an endpoint whose deliveries have failed, with no success between, for this long is disabled */
    WEBHOOK_DISABLE_AFTER_MS: positiveInt(3 * 24 * 3600 * 1000),
    /** how long the previous secret still signs deliveries after a rotation */
    WEBHOOK_SECRET_OVERLAP_MS: positiveInt(24 * 3600 * 1000),
    /** how soon a delivery held back behind an earlier one of its parcel looks again */
    WEBHOOK_ORDER_RECHECK_MS: positiveInt(2_000),
    /**
     * Test only: endpoints at `http://127.0.0.1:<this port>` are accepted (a receiver in the test
     * process). Every other loopback, private or plain-http URL is still refused. Refused in production.
     */
    WEBHOOK_TEST_LOOPBACK_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /**
     * Encrypts webhook endpoints' signing secrets at rest (SecretBox, AES-256-GCM). Required outside
     * development; keep it: secrets sealed under one cannot be read with another.
     */
    WEBHOOK_SECRET_ENCRYPTION_KEY: z.string().min(16, 'use at least 16 characters').optional(),
  })
  .extend(serviceBaseConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema(SERVICE_NAME).shape)
  .extend(redisConfigSchema.shape)
  .extend(serviceUrlsConfigSchema.pick({ AUTH_URL: true }).shape)
  .extend(messagingConfigSchema.shape)
  .superRefine((config, ctx) => {
    if (config.SMS_SINK_SHOW_CODES && config.PORTAL_ENV !== 'development') {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_SINK_SHOW_CODES'],
        message: "only with PORTAL_ENV=development (operators could read customers' codes)",
      });
    }
    if (config.WEBHOOK_TEST_LOOPBACK_PORT !== undefined && config.PORTAL_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_TEST_LOOPBACK_PORT'],
        message: 'a test setting: refused with PORTAL_ENV=production (it opens webhooks to a loopback address)',
      });
    }
    if (config.PORTAL_ENV !== 'development' && !config.WEBHOOK_SECRET_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SECRET_ENCRYPTION_KEY'],
        message: 'required outside development: webhook signing secrets are encrypted at rest with it',
      });
    }
    if (config.SMS_PROVIDER === 'http' && (!config.SMS_HTTP_ACCOUNT_SID || !config.SMS_HTTP_AUTH_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_HTTP_ACCOUNT_SID'],
        message: 'SMS_PROVIDER=http needs SMS_HTTP_ACCOUNT_SID and SMS_HTTP_AUTH_TOKEN',
      });
    }
  });

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

/** Injection token of the validated config. */
export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');

export function loadNotificationsConfig(env: Record<string, string | undefined> = process.env): NotificationsConfig {
  return loadConfig(notificationsConfigSchema, env);
}
