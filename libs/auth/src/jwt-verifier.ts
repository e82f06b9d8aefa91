import type { OnModuleDestroy } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { ACCEPTED_ALGORITHMS, type AuthModuleOptions } from './auth-options';
import { authUserFromClaims, type AuthUser } from './auth-user';
import { JwksKeyProvider } from './jwks-key-provider';
import { createTokenRevocations, type TokenRevocations } from './token-revocations';

/** The reason given for a token issued before its user's last password change or reset. */
export const TOKEN_REVOKED = 'Token revoked (the password was changed)';

/** Raised for any token that is not acceptable; `reason` is safe to show the caller. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/**
 * Verifies a bearer token outside Nest's guards (the gateway's proxy middleware) with the same rules
 * as the passport strategy: ES256 only, keys from the JWKS, issuer and audience checked, and no
 * token issued before its user's last password change.
 */
export class JwtVerifier implements OnModuleDestroy {
  private readonly revocations: TokenRevocations | null;

  /**
   * `keys` and `revocations`: those to share with the passport strategy (AuthModule does); by
   * default ones of its own (`null` revocations: no password-change check, for unit tests).
   */
  constructor(
    private readonly options: AuthModuleOptions,
    private readonly keys = new JwksKeyProvider(options),
    revocations?: TokenRevocations | null,
  ) {
    this.revocations = revocations !== undefined ? revocations : createTokenRevocations(options);
  }

  async verify(token: string): Promise<AuthUser> {
    const key = await this.keys.keyFor(token).catch(() => {
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
    const iat = (claims as { iat?: unknown }).iat;
    if (
      this.revocations &&
      (await this.revocations.isRevoked(user.userId, typeof iat === 'number' ? iat : undefined))
    ) {
      throw new InvalidTokenError(TOKEN_REVOKED);
    }
    return user;
  }

  /** Stops the key provider's refresh timer and the revocation lookups. */
  close(): void {
    this.keys.close();
    this.revocations?.close();
  }

  onModuleDestroy(): void {
    this.close();
  }
}
