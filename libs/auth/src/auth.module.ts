import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AUTH_MODULE_OPTIONS, type AuthModuleOptions } from './auth-options';
import { JwksKeyProvider } from './jwks-key-provider';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { JwtVerifier } from './jwt-verifier';
import { RolesGuard } from './roles.guard';
import { createTokenRevocations, TOKEN_REVOCATIONS, type TokenRevocations } from './token-revocations';

@Module({})
export class AuthModule {
  /** Installs the deny-by-default JWT guard and the roles guard for the whole app. */
  static forRoot(options: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [PassportModule],
      providers: [
        { provide: AUTH_MODULE_OPTIONS, useValue: options },
        // One key set (and one refresh timer) for the strategy and the verifier.
        { provide: JwksKeyProvider, useFactory: () => new JwksKeyProvider(options) },
        // One revocation cache (and one Redis connection) likewise; JwtVerifier closes it.
        { provide: TOKEN_REVOCATIONS, useFactory: () => createTokenRevocations(options) },
        {
          provide: JwtVerifier,
          useFactory: (keys: JwksKeyProvider, revocations: TokenRevocations | null) =>
            new JwtVerifier(options, keys, revocations),
          inject: [JwksKeyProvider, TOKEN_REVOCATIONS],
        },
        JwtStrategy,
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [AUTH_MODULE_OPTIONS, JwtVerifier],
    };
  }
}
