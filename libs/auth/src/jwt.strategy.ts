import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ACCEPTED_ALGORITHMS, AUTH_MODULE_OPTIONS, type AuthModuleOptions } from './auth-options';
import { authUserFromClaims, type AuthUser } from './auth-user';
import { JwksKeyProvider } from './jwks-key-provider';
import { TOKEN_REVOKED } from './jwt-verifier';
import { TOKEN_REVOCATIONS, type TokenRevocations } from './token-revocations';

export const JWT_STRATEGY = 'postal-jwt';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    @Inject(AUTH_MODULE_OPTIONS) options: AuthModuleOptions,
    keys: JwksKeyProvider,
    @Inject(TOKEN_REVOCATIONS) private readonly revocations: TokenRevocations | null,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: keys.secretOrKeyProvider,
      algorithms: [...ACCEPTED_ALGORITHMS],
      issuer: options.issuer,
      audience: options.audience,
      ignoreExpiration: false,
    });
  }

  async validate(payload: Record<string, unknown>): Promise<AuthUser | false> {
    const user = authUserFromClaims(payload);
    if (!user) return false;
    const iat = typeof payload.iat === 'number' ? payload.iat : undefined;
    if (this.revocations && (await this.revocations.isRevoked(user.userId, iat))) {
      throw new UnauthorizedException(TOKEN_REVOKED);
    }
    return user;
  }
}
