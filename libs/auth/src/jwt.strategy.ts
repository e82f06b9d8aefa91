import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ACCEPTED_ALGORITHMS, AUTH_MODULE_OPTIONS, type AuthModuleOptions } from './auth-options';
import { authUserFromClaims, type AuthUser } from './auth-user';
import { JwksKeyProvider } from './jwks-key-provider';

export const JWT_STRATEGY = 'postal-jwt';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(@Inject(AUTH_MODULE_OPTIONS) options: AuthModuleOptions, keys: JwksKeyProvider) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: keys.secretOrKeyProvider,
      algorithms: [...ACCEPTED_ALGORITHMS],
      issuer: options.issuer,
      audience: options.audience,
      ignoreExpiration: false,
    });
  }

  validate(payload: Record<string, unknown>): AuthUser | false {
    return authUserFromClaims(payload) ?? false;
  }
}
