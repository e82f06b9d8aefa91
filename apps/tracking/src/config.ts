import {
  bodyLimitSchema,
  DefaultPorts,
  jwtConfigSchema,
  kafkaConfigSchema,
  loadConfig,
  logConfigSchema,
  mongoConfigSchema,
} from '@app/platform';
import { messagingConfigSchema } from '@app/messaging';
import { z } from 'zod';

export const trackingConfigSchema = z.object({
  ...kafkaConfigSchema.shape,
  ...mongoConfigSchema('tracking').shape,
  ...jwtConfigSchema.shape,
  ...logConfigSchema.shape,
  ...messagingConfigSchema.shape,
  TRACKING_PORT: z.coerce.number().int().min(0).max(65535).default(DefaultPorts.tracking),
  AUTH_URL: z.string().url().default(`http://127.0.0.1:${DefaultPorts.auth}`),
  // A batch of 1000 scans is about 300 KB of JSON.
  TRACKING_BODY_LIMIT: bodyLimitSchema('1mb'),
  /** Most numbers a user may watch. */
  TRACKING_WATCHLIST_MAX: z.coerce.number().int().min(1).default(200),
});

export type TrackingConfig = z.infer<typeof trackingConfigSchema>;

export const TRACKING_CONFIG = Symbol('TRACKING_CONFIG');

export function loadTrackingConfig(env: Record<string, string | undefined> = process.env): TrackingConfig {
  return loadConfig(trackingConfigSchema, env);
}
