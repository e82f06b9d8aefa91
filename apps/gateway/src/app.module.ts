import { DynamicModule, Module } from '@nestjs/common';
import { JwtVerifier, authOptionsFromConfig } from '@app/auth';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { DocsService } from './docs/docs.service';
import { ApiKeyExchangeService } from './edge-auth/api-key-exchange.service';
import { ApiKeyRevocations } from './edge-auth/api-key-revocations';
import { EdgeAuthService } from './edge-auth/edge-auth.service';
import { EdgeHook } from './edge.hook';
import { LookupCache } from './lookup-cache/lookup-cache.service';
import { TrackingViewReader } from './lookup-cache/tracking-view-reader';
import { ProxyService } from './proxy/proxy.service';
import { RateLimitService } from './rate-limit/rate-limit.service';
import { ServiceAppModule } from '@app/platform';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // No store; the gateway is ready when Redis answers (each service reports its own readiness).
        // Rate limits and revocation checks have a fallback: a command fails at once rather than wait.
        ServiceAppModule.forRoot({
          config: { token: GATEWAY_CONFIG, value: config },
          redis: { url: config.REDIS_URL, failFast: true },
        }),
      ],
      providers: [
        {
          provide: JwtVerifier,
          useFactory: () => new JwtVerifier(authOptionsFromConfig(config)),
        },
        RateLimitService,
        ApiKeyExchangeService,
        ApiKeyRevocations,
        EdgeAuthService,
        ProxyService,
        LookupCache,
        TrackingViewReader,
        DocsService,
        EdgeHook,
      ],
    };
  }
}
