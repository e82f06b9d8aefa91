import { passportJwtSecret } from 'jwks-rsa';
import jwt from 'jsonwebtoken';
import { ACCEPTED_ALGORITHMS, type AuthModuleOptions } from './auth-options';
import { authUserFromClaims, type AuthUser } from './auth-user';

export type SecretOrKeyProvider = (
  request: unknown,
  rawJwtToken: string,
  done: (err: unknown, secretOrKey?: string | Buffer | null) => void,
) => void;

/** The JWKS key provider (cached, rate limited) shared by the passport strategy and {@link JwtVerifier}. */
export function createKeyProvider(options: AuthModuleOptions): SecretOrKeyProvider {
  return passportJwtSecret({
    jwksUri: options.jwksUrl,
    cache: true,
    cacheMaxAge: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
    rateLimit: true,
    jwksRequestsPerMinute: options.jwksRequestsPerMinute ?? 10,
    timeout: 5000,
  }) as SecretOrKeyProvider;
}

/** Raised for any token that is not acceptable; `reason` is safe to show the caller. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/**
 * Verifies a bearer token outside Nest's guards (the gateway's proxy middleware) with the same rules
 * as the passport strategy: ES256 only, keys from the JWKS, issuer and audience checked.
 */
export class JwtVerifier {
  private readonly keyProvider: SecretOrKeyProvider;

  constructor(private readonly options: AuthModuleOptions) {
    this.keyProvider = createKeyProvider(options);
  }

  async verify(token: string): Promise<AuthUser> {
    const key = await new Promise<string | Buffer | null | undefined>((resolve, reject) =>
      this.keyProvider(null, token, (err, secretOrKey) => (err ? reject(toError(err)) : resolve(secretOrKey))),
    ).catch(() => {
      throw new InvalidTokenError('Signing keys unavailable');
    });
    if (!key) throw new InvalidTokenError('Invalid token');
    let claims: unknown;
    try {
      claims = jwt.verify(token, key, {
        algorithms: [...ACCEPTED_ALGORITHMS],
        issuer: this.options.issuer,
        audience: this.options.audience,
      });
    } catch (error) {
      throw new InvalidTokenError(error instanceof jwt.TokenExpiredError ? 'Token expired' : 'Invalid token');
    }
    const user =
      typeof claims === 'object' && claims !== null ? authUserFromClaims(claims as Record<string, unknown>) : null;
    if (!user) throw new InvalidTokenError('Invalid token');
    return user;
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
