import {
  bodyLimitSchema,
  DefaultPorts,
  kafkaConfigSchema,
  loadConfig,
  mongoConfigSchema,
  portSchema,
  redisConfigSchema,
  serviceBaseConfigSchema,
  serviceUrlsConfigSchema,
  stripePublishableKeySchema,
} from '@app/platform';
import { messagingConfigSchema } from '@app/messaging';
import { z } from 'zod';

export const pickupConfigSchema = z
  .object({
    PICKUP_PORT: portSchema(DefaultPorts.pickup),
    PICKUP_BODY_LIMIT: bodyLimitSchema('100kb'),
    /** How many days ahead a carrier pickup can be booked (API.md: at least 14). */
    PICKUP_BOOKING_WINDOW_DAYS: z.coerce.number().int().min(14).max(365).default(21),
    /** The 9-digit USPS mailer id printed in every IMpb tracking number. */
    IMPB_MAILER_ID: z
      .string()
      .regex(/^\d{9}$/, 'expected 9 digits')
      .default('900000001'),
    /**
     * Keys the permutation of IMpb serials (SerialPermutation), so tracking numbers cannot be
     * enumerated. Required, no default: the local launcher and the tests set a development key.
     * Changing it later may give new labels serials already in use: each collision costs a retry.
     */
    IMPB_SERIAL_KEY: z
      .string({ error: 'a secret of at least 32 characters is required (e.g. openssl rand -hex 32)' })
      .min(32, 'use at least 32 characters'),
    /** Labels one account may create per PICKUP_LABEL_RATE_LIMIT_WINDOW_SECONDS (429 beyond). */
    PICKUP_LABEL_RATE_LIMIT: z.coerce.number().int().min(1).default(100),
    PICKUP_LABEL_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
    /** Period of the job that marks pickups missed. */
    PICKUP_MISSED_SWEEP_MS: z.coerce.number().int().min(0).default(60_000),
    /** Longest one replica holds the sweep's lease; a crashed holder blocks the others this long at most. */
    PICKUP_MISSED_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
    /** Timeout of calls to the auth service's address book. */
    AUTH_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    /**
     * The payment provider's secret API key (Stripe). Required unless PORTAL_ENV=development (the
     * launcher and the tests set a `sk_test_` key from tools/dev-secrets.js; stripe-mock takes any).
     */
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'expected a Stripe secret or restricted key (sk_… or rk_…)')
      .optional(),
    /**
     * Card element (issue 17): the publishable key the web's Stripe.js uses (`GET /payments/config`).
     * Required unless PORTAL_ENV=development; unset locally, where the web offers Stripe's test methods.
     */
    STRIPE_PUBLISHABLE_KEY: stripePublishableKeySchema,
    /** Signs the provider's webhooks (`whsec_…`); required unless PORTAL_ENV=development. */
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_\w+$/, 'expected a webhook signing secret (whsec_…)')
      .optional(),
    /**
     * Where the SDK sends its calls instead of Stripe: stripe-mock (`http://127.0.0.1:12111`), set by the
     * local stack. Unset in production. An empty value counts as unset (compose passes it through).
     */
    STRIPE_API_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
    /**
     * Fault injection for the fault suite (PORTAL_ENV=development only): the process kills itself
     * right after the provider accepted a card charge, before the charge is booked.
     */
    PAYMENTS_CRASH_AFTER_CHARGE: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    /** A card checkout older than this with no ledger entry was cut off by a crash; the sweep finishes it. */
    PAYMENTS_CHECKOUT_GRACE_MS: z.coerce.number().int().min(1_000).default(30_000),
    /** Attempts of a label batch's job (a crash or an unreachable provider is retried; each step resumes). */
    PICKUP_BATCH_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
    /** First retry delay of a batch job, doubling each time. */
    PICKUP_BATCH_BACKOFF_MS: z.coerce.number().int().min(10).default(5_000),
    /** Batch jobs one process works on at once (each is a stream of label inserts). */
    PICKUP_BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
    /** Batches one account may upload per PICKUP_BATCH_RATE_LIMIT_WINDOW_SECONDS (429 with Retry-After beyond). */
    PICKUP_BATCH_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
    PICKUP_BATCH_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
    /** One call to the provider; past it the checkout answers 503 and charges nothing twice. */
    STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  })
  .extend(serviceBaseConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema('pickup').shape)
  .extend(redisConfigSchema.shape)
  .extend(serviceUrlsConfigSchema.pick({ AUTH_URL: true }).shape)
  .extend(messagingConfigSchema.shape)
  .superRefine((config, ctx) => {
    if (config.PAYMENTS_CRASH_AFTER_CHARGE && config.PORTAL_ENV !== 'development') {
      ctx.addIssue({
        code: 'custom',
        path: ['PAYMENTS_CRASH_AFTER_CHARGE'],
        message: 'fault injection: only with PORTAL_ENV=development',
      });
    }
    if (config.PORTAL_ENV === 'development') return;
    for (const name of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_PUBLISHABLE_KEY'] as const) {
      if (!config[name]) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'required unless PORTAL_ENV=development' });
      }
    }
  });

export type PickupConfig = z.infer<typeof pickupConfigSchema>;

export const PICKUP_CONFIG = Symbol('PICKUP_CONFIG');

export function loadPickupConfig(env: Record<string, string | undefined> = process.env): PickupConfig {
  return loadConfig(pickupConfigSchema, env);
}
