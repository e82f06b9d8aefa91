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

export const trackingConfigSchema = z
  .object({
    TRACKING_PORT: portSchema(DefaultPorts.tracking),
    // A batch of 1000 scans is about 300 KB of JSON.
    TRACKING_BODY_LIMIT: bodyLimitSchema('1mb'),
    /** Most numbers a user may watch. */
    TRACKING_WATCHLIST_MAX: z.coerce.number().int().min(1).default(200),
    /** How long a parcel's public view stays in Redis after its last change or rebuild (cold parcels expire). */
    TRACKING_VIEW_TTL_SECONDS: z.coerce.number().int().min(1).default(3600),
    /** How long Redis remembers that a number is unknown (replaced at once when the parcel is created). */
    TRACKING_UNKNOWN_TTL_SECONDS: z.coerce.number().int().min(1).default(10),
    /** How often held parcels are checked for the reminder two days before their hold ends (0: never). */
    TRACKING_HOLD_REMINDER_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
    /** How often open intercepts and redeliveries are checked against their parcel's scans for an outcome notice (0: never). */
    TRACKING_OUTCOME_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(60),
    /** Delivery requests and changes (each one mails or texts a notice) one account may make in the window. */
    TRACKING_DELIVERY_REQUEST_LIMIT: z.coerce.number().int().min(1).default(30),
    TRACKING_DELIVERY_REQUEST_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
  })
  .extend(serviceBaseConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema('tracking').shape)
  .extend(serviceUrlsConfigSchema.pick({ AUTH_URL: true }).shape)
  .extend(messagingConfigSchema.shape)
  // The read model of public views, and the token verifier's password-change markers (libs/auth).
  .extend(redisConfigSchema.shape);

export type TrackingConfig = z.infer<typeof trackingConfigSchema>;

export const TRACKING_CONFIG = Symbol('TRACKING_CONFIG');

export function loadTrackingConfig(env: Record<string, string | undefined> = process.env): TrackingConfig {
  return loadConfig(trackingConfigSchema, env);
}
