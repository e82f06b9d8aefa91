import { z } from 'zod';

/** Password length limits (NIST SP 800-63B: no composition rules). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** Account types a customer registers as. */
export const ACCOUNT_TYPES = ['personal', 'business'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** US state, DC and territory codes accepted in addresses. */
export const US_STATE_CODES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'DC',
  'AS',
  'GU',
  'MP',
  'PR',
  'VI',
  'UM',
  'FM',
  'MH',
  'PW',
  'AA',
  'AE',
  'AP',
] as const;
export type UsStateCode = (typeof US_STATE_CODES)[number];

/** ZIP or ZIP+4. */
export const US_ZIP_PATTERN = /^\d{5}(-\d{4})?$/;

/** A postal address as carried in identity events (upper case, validated by the auth service). */
export const identityAddressSchema = z
  .object({
    name: z.string().min(1).max(100).optional(),
    line1: z.string().min(1).max(100),
    line2: z.string().min(1).max(100).optional(),
    city: z.string().min(1).max(60),
    state: z.enum(US_STATE_CODES),
    zip: z.string().regex(US_ZIP_PATTERN),
  })
  .strict();
export type IdentityAddress = z.infer<typeof identityAddressSchema>;

/**
 * Redis key (after the deployment's REDIS_PREFIX) that the auth service sets when an operator
 * revokes an API key, so the gateway stops handing out a token it cached for that key at once.
 */
export function apiKeyRevokedRedisKey(apiKeyId: string): string {
  return `identity:api-key-revoked:${apiKeyId}`;
}

/** How long the revocation marker lives: well past any API-key token issued before the revocation. */
export const API_KEY_REVOKED_MARKER_TTL_MS = 24 * 60 * 60_000;

/**
 * Redis key (after the deployment's REDIS_PREFIX, which every app of a deployment shares) that the
 * auth service sets to the time, in epoch milliseconds, of a user's last password change or reset.
 * Every token verifier (libs/auth) refuses that user's access tokens issued in an earlier second.
 */
export function tokensValidAfterRedisKey(userId: string): string {
  return `identity:tokens-valid-after:${userId}`;
}

/** Longest a verifier may trust what it read of that marker (the "at most 60 s stale"). */
export const TOKENS_VALID_AFTER_MAX_CACHE_MS = 60_000;

/** A phone verified more recently than this does not receive password-reset codes (email only). */
export const RESET_SMS_PHONE_MIN_AGE_MS = 7 * 24 * 60 * 60_000;
