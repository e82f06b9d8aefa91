import type { TokenRevocationOptions } from './token-revocations';

/** Where to find the signing keys and what the tokens must claim. */
export interface AuthModuleOptions {
  /** `${AUTH_URL}/.well-known/jwks.json` */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /**
   * How often the key set is reloaded; default 30 s. Auth publishes a new key 90 s before it signs
   * (SIGNING_DELAY_MS: its replicas' one-minute reload plus this period), so at this default every
   * verifier knows a new key before the first token signed with it.
   */
  jwksRefreshMs?: number;
  /** Largest number of JWKS fetches per minute for unknown `kid`s (timed reloads not counted); default 10. */
  jwksRequestsPerMinute?: number;
  /**
   * Where auth's "tokens valid after" markers are read: a user's access tokens issued before their
   * last password change or reset are refused. Every app sets it (authOptionsFromConfig); unset only
   * in unit tests of the verifier itself.
   */
  revocations?: TokenRevocationOptions;
}

export const AUTH_MODULE_OPTIONS = Symbol('AUTH_MODULE_OPTIONS');

/** The only algorithm accepted: auth signs with ES256, so anything else (none, HS256) is a forgery. */
export const ACCEPTED_ALGORITHMS = ['ES256'] as const;

/** The config fields every token verifier is built from (validated by each app's config). */
export interface AuthConfigFields {
  AUTH_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  REDIS_URL: string;
  REDIS_PREFIX: string;
  AUTH_TOKEN_REVOCATION_CACHE_MS: number;
}

/** Options of `AuthModule.forRoot` and `JwtVerifier` from an app's validated config. */
export function authOptionsFromConfig(config: AuthConfigFields): AuthModuleOptions {
  return {
    jwksUrl: new URL('/.well-known/jwks.json', config.AUTH_URL).toString(),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    revocations: {
      redisUrl: config.REDIS_URL,
      redisPrefix: config.REDIS_PREFIX,
      cacheMs: config.AUTH_TOKEN_REVOCATION_CACHE_MS,
    },
  };
}
