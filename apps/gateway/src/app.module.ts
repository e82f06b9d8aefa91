import { DynamicModule, Module } from '@nestjs/common';
import { JwtVerifier, authOptionsFromConfig } from '@app/auth';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { DocsService } from './docs/docs.service';
import { ApiKeyExchangeService } from './edge-auth/api-key-exchange.service';
import { ApiKeyRevocations } from './edge-auth/api-key-revocations';
import { EdgeAuthService } from './edge-auth/edge-auth.service';
import { EdgeMiddleware } from './edge.middleware';
import { GatewayHealth } from './gateway-health';
import { ProxyService } from './proxy/proxy.service';
import { RateLimitService } from './rate-limit/rate-limit.service';
import { Clock, RedisConnection } from '@app/platform';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        {
          provide: JwtVerifier,
          useFactory: () => new JwtVerifier(authOptionsFromConfig(config)),
        },
        Clock,
        {
          provide: RedisConnection,
          // Rate limits and revocation checks have a fallback: a command fails at once rather than wait for Redis.
          useFactory: () => new RedisConnection({ url: config.REDIS_URL, failFast: true }),
        },
        GatewayHealth,
        RateLimitService,
        ApiKeyExchangeService,
        ApiKeyRevocations,
        EdgeAuthService,
        ProxyService,
        DocsService,
        EdgeMiddleware,
      ],
    };
  }
}
