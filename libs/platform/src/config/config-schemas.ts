import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** A TCP port variable (0 lets the OS pick). */
export const portSchema = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const url = (fallback: string) => z.string().url().default(fallback);

/** Default ports of the five services (docs/internal-apis.md). */
export const DefaultPorts = {
  gateway: 3000,
  auth: 3001,
  tracking: 3002,
  pickup: 3003,
  notifications: 3004,
} as const;

export const kafkaConfigSchema = z.object({
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((v) =>
      v
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1)),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).default(3),
  // Kafka requires SASL/SCRAM: each service has its own principal, whose ACLs name the topics it
  // may write and read (README "Kafka principals and ACLs").
  KAFKA_SASL_MECHANISM: z.literal('scram-sha-512').default('scram-sha-512'),
  KAFKA_SASL_USERNAME: z.string({ error: "required: this service's Kafka principal" }).min(1),
  KAFKA_SASL_PASSWORD: z.string({ error: "required: the Kafka principal's SCRAM password" }).min(1),
  /**
   * Create missing topics at start (needs a principal allowed to: the test harness's admin). Off in
   * production and under `npm start`: the admin creates topics and ACLs before the apps start.
   */
  KAFKA_MANAGE_TOPICS: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

export const mongoConfigSchema = (defaultDb: string) =>
  z.object({
    MONGO_URL: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// URL')
      .default('mongodb://127.0.0.1:27017'),
    MONGO_DB: z.string().min(1).default(defaultDb),
    /**
     * Which plan the store helpers use (libs/messaging ConditionalUpdates, tracking's parcel
     * writes). `auto` asks the server: FerretDB gets point reads and in-process locks, MongoDB its
     * atomic filters. `mongodb` takes MongoDB's plan whatever the server, so CI runs the code
     * production runs against the local store too.
     */
    MONGO_QUERY_PLAN: z.enum(['auto', 'mongodb']).default('auto'),
  });

export const redisConfigSchema = z.object({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().default(''),
});

export const serviceUrlsConfigSchema = z.object({
  AUTH_URL: url(`http://127.0.0.1:${DefaultPorts.auth}`),
  TRACKING_URL: url(`http://127.0.0.1:${DefaultPorts.tracking}`),
  PICKUP_URL: url(`http://127.0.0.1:${DefaultPorts.pickup}`),
  NOTIFICATIONS_URL: url(`http://127.0.0.1:${DefaultPorts.notifications}`),
});

export const jwtConfigSchema = z.object({
  JWT_ISSUER: z.string().min(1).default('postal-portal-auth'),
  JWT_AUDIENCE: z.string().min(1).default('postal-portal'),
  /**
   * How long a verifier reuses what it read of a user's "tokens valid after" marker (libs/auth
   * TokenRevocations): a token issued before a password change is refused at most this long after it.
   */
  AUTH_TOKEN_REVOCATION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(30_000),
});

export const logConfigSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Body size accepted by body-parser, in the `bytes` format (`100kb`, `1mb`). */
export const bodyLimitSchema = (fallback: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?\s*(b|kb|mb)?$/i, 'expected a size such as 100kb or 1mb')
    .default(fallback);

/**
 * Where a service listens and who it is: `HOST` (default loopback only, so `npm start` exposes nothing to the
 * network; containers set `0.0.0.0`) and `INSTANCE_ID` (default random per process), which `/health/live` and
 * `/health/ready` echo so a caller knows which process answered.
 */
export const instanceConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  INSTANCE_ID: z
    .string()
    .regex(/^[\w.:-]{1,100}$/, 'expected up to 100 letters, digits, _ . : -')
    .default(() => randomUUID()),
});

/** The environments the portal knows; anything that is not explicitly `development` is run as production. */
export const PortalEnvs = ['development', 'production'] as const;
export type PortalEnv = (typeof PortalEnvs)[number];

/**
 * `PORTAL_ENV`: `development` is set by the local launcher (`npm start`) and the test harness, and only there
 * may a service run without production safeguards (an unset key-encryption secret, revealed SMS codes). The
 * default is `production`, so a forgotten setting fails closed.
 */
export const portalEnvConfigSchema = z.object({
  PORTAL_ENV: z.enum(PortalEnvs).default('production'),
});

/**
 * `METRICS_TOKEN`: the bearer token a Prometheus scraper sends to `/metrics`. Unset, `/metrics` answers 404:
 * the service port is reachable through the gateway and the edge, and metrics are not for the public.
 */
export const metricsConfigSchema = z.object({
  METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
});

/** A boolean variable: `true`/`1` or `false`/`0`. */
export const booleanSchema = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** What every service reads: log level, JWT issuer and audience, listen host, instance id, environment, metrics. */
export const serviceBaseConfigSchema = logConfigSchema
  .extend(jwtConfigSchema.shape)
  .extend(instanceConfigSchema.shape)
  .extend(portalEnvConfigSchema.shape)
  .extend(metricsConfigSchema.shape);

/**
 * Stripe's publishable key (`pk_test_…`/`pk_live_…`), read by pickup (served on `GET /payments/config`
 * for the web's card element) and by the gateway (which then lets the portal's CSP load Stripe.js).
 * Public by design, but a secret key pasted here by mistake is refused. Empty counts as unset.
 */
export const stripePublishableKeySchema = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .regex(/^pk_(test|live)_[A-Za-z0-9]+$/, 'expected a Stripe publishable key (pk_test_… or pk_live_…)')
    .optional(),
);
