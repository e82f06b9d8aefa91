import {
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

const seconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const authConfigSchema = z
  .object({
    AUTH_PORT: portSchema(DefaultPorts.auth),
    /**
     * Encrypts signing keys and TOTP secrets at rest (AES-256-GCM). Required unless PORTAL_ENV=development;
     * when set, secrets a development run stored in clear are sealed at start (keys) or at next use (TOTP).
     */
    AUTH_KEY_ENCRYPTION_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
    /** A new signing key is made when the newest is older than this. */
    AUTH_KEY_ROTATION_DAYS: z.coerce.number().positive().default(30),
    AUTH_ACCESS_TOKEN_TTL_SECONDS: seconds(900),
    AUTH_API_KEY_TOKEN_TTL_SECONDS: seconds(300),
    AUTH_LOCKOUT_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
    AUTH_LOCKOUT_WINDOW_SECONDS: seconds(900),
    /** First lock length; each further lock in a row doubles it (capped at a day). */
    AUTH_LOCKOUT_BASE_SECONDS: seconds(900),
    AUTH_TOTP_ISSUER: z.string().min(1).default('Postal Portal'),
    /** Phone verification codes (SMS) per account, and per phone number, in AUTH_PHONE_CODE_WINDOW_SECONDS. */
    AUTH_PHONE_CODES_PER_WINDOW: z.coerce.number().int().min(1).default(5),
    AUTH_PHONE_CODE_WINDOW_SECONDS: seconds(15 * 60),
    /** Phone verification codes per account in AUTH_PHONE_CODE_DAY_SECONDS. */
    AUTH_PHONE_CODES_PER_DAY: z.coerce.number().int().min(1).default(20),
    AUTH_PHONE_CODE_DAY_SECONDS: seconds(24 * 60 * 60),
    /** Address verification letters per postal address, and per account, in AUTH_LETTER_WINDOW_SECONDS. */
    AUTH_LETTERS_PER_ADDRESS: z.coerce.number().int().min(1).default(3),
    AUTH_LETTERS_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
    AUTH_LETTER_WINDOW_SECONDS: seconds(30 * 24 * 60 * 60),
    /** Organisation invitation emails per inviting member, and per invited address, in AUTH_ORG_INVITE_WINDOW_SECONDS. */
    AUTH_ORG_INVITES_PER_MEMBER: z.coerce.number().int().min(1).default(50),
    AUTH_ORG_INVITES_PER_ADDRESS: z.coerce.number().int().min(1).default(5),
    AUTH_ORG_INVITE_WINDOW_SECONDS: seconds(24 * 60 * 60),
    PORTAL_OPERATOR_USERNAME: z.string().min(3).optional(),
    PORTAL_OPERATOR_PASSWORD: z.string().min(12).optional(),
    PORTAL_OPERATOR_EMAIL: z.string().email().default('operator@portal.invalid'),
  })
  .extend(serviceBaseConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema('auth').shape)
  .extend(redisConfigSchema.shape)
  .extend(serviceUrlsConfigSchema.pick({ AUTH_URL: true }).shape)
  .extend(messagingConfigSchema.shape)
  .superRefine((config, ctx) => {
    if (config.PORTAL_ENV !== 'development' && !config.AUTH_KEY_ENCRYPTION_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_KEY_ENCRYPTION_SECRET'],
        message: 'required unless PORTAL_ENV=development (signing keys and TOTP secrets are encrypted with it)',
      });
    }
  });

export type AuthConfig = z.infer<typeof authConfigSchema>;

/** Injection token of the validated config. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export function loadAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  return loadConfig(authConfigSchema, env);
}
