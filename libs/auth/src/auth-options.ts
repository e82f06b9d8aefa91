/** Where to find the signing keys and what the tokens must claim. */
export interface AuthModuleOptions {
  /** `${AUTH_URL}/.well-known/jwks.json` */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** How long fetched keys are cached; default 10 minutes. */
  jwksCacheMaxAgeMs?: number;
  /** Largest number of JWKS fetches per minute (unknown `kid`s trigger fetches); default 10. */
  jwksRequestsPerMinute?: number;
}

export const AUTH_MODULE_OPTIONS = Symbol('AUTH_MODULE_OPTIONS');

/** The only algorithm accepted: auth signs with ES256, so anything else (none, HS256) is a forgery. */
export const ACCEPTED_ALGORITHMS = ['ES256'] as const;

/** The config fields every token verifier is built from (validated by each app's config). */
export interface AuthConfigFields {
  AUTH_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

/** Options of `AuthModule.forRoot` and `JwtVerifier` from an app's validated config. */
export function authOptionsFromConfig(config: AuthConfigFields): AuthModuleOptions {
  return {
    jwksUrl: new URL('/.well-known/jwks.json', config.AUTH_URL).toString(),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  };
}
