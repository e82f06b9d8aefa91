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
  })
  .extend(serviceBaseConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema('pickup').shape)
  .extend(redisConfigSchema.shape)
  .extend(serviceUrlsConfigSchema.pick({ AUTH_URL: true }).shape)
  .extend(messagingConfigSchema.shape);

export type PickupConfig = z.infer<typeof pickupConfigSchema>;

export const PICKUP_CONFIG = Symbol('PICKUP_CONFIG');

export function loadPickupConfig(env: Record<string, string | undefined> = process.env): PickupConfig {
  return loadConfig(pickupConfigSchema, env);
}
