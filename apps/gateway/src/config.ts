import {
  bodyLimitSchema,
  booleanSchema,
  DefaultPorts,
  loadConfig,
  portSchema,
  redisConfigSchema,
  serviceBaseConfigSchema,
  serviceUrlsConfigSchema,
  stripePublishableKeySchema,
} from '@app/platform';
import { z } from 'zod';

const gatewaySchema = z
  .object({
    GATEWAY_PORT: portSchema(DefaultPorts.gateway),
    GATEWAY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /** Public tracking lookups per IP per minute: `GET /tracking/:number`, and batches (`GET /tracking?numbers=`, up to 35 each) apart. */
    GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
    GATEWAY_TRACKING_BATCH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    GATEWAY_CORS_ORIGINS: z
      .string()
      .default('http://localhost:5173')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().url())),
    GATEWAY_BODY_LIMIT: bodyLimitSchema('1mb'),
    GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
    /**
     * How long an idle upstream keep-alive socket is kept; must stay below the services' keepAliveTimeout
     * (65 s, libs/platform bootstrap) so the gateway never reuses a socket the service is closing.
     */
    GATEWAY_UPSTREAM_IDLE_MS: z.coerce.number().int().min(100).max(60000).default(30000),
    /**
     * The edge cache of public single tracking lookups (issue 14): at most this many answers kept in the gateway's
     * memory (about 1-2 KiB each), 0 turns it off. Entries are dropped when tracking announces a change.
     */
    GATEWAY_LOOKUP_CACHE_MAX_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(20_000),
    /**
     * A lookup that cache does not hold is answered from tracking's read model in Redis (one GET; tracking still
     * writes every view, and answers what Redis does not hold). Needs the cache's change channel (the cache on).
     */
    GATEWAY_LOOKUP_READ_MODEL: booleanSchema(true),
    /** The longest an answer stays in that cache: memory hygiene; freshness comes from the change announcements. */
    GATEWAY_LOOKUP_CACHE_TTL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    /** Express `trust proxy` hops: 0 when the gateway is the edge, 1 behind one load balancer. */
    GATEWAY_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
    /** The built web portal (`vite build` output), served at `/`; relative paths start at the working directory. */
    GATEWAY_WEB_DIR: z.string().min(1).default('dist/web'),
    /**
     * Card element (issue 17): the same value as pickup's. Set, the portal's CSP lets Stripe.js load
     * (js.stripe.com, api.stripe.com); unset, it stays same-origin only. The gateway only checks it is there.
     */
    STRIPE_PUBLISHABLE_KEY: stripePublishableKeySchema,
  })
  .extend(serviceBaseConfigSchema.shape)
  .extend(serviceUrlsConfigSchema.shape)
  .extend(redisConfigSchema.shape);

export type GatewayConfig = z.infer<typeof gatewaySchema>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return loadConfig(gatewaySchema, env);
}
