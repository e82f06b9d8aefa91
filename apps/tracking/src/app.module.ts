import { AuthModule, authOptionsFromConfig } from '@app/auth';
import { MessagingModule, messagingOptionsFromConfig } from '@app/messaging';
import { storeOptionsFromConfig } from '@app/persistence';
import { type HttpEngine, ServiceAppModule } from '@app/platform';
import { type DynamicModule, Module } from '@nestjs/common';
import { TRACKING_CONFIG, type TrackingConfig } from './config';
import { AddressesModule } from './addresses/addresses.module';
import { DeliveryModule } from './delivery/delivery.module';
import { IngestModule } from './ingest/ingest.module';
import { LookupModule } from './lookup/lookup.module';
import { ParcelsModule } from './parcels/parcels.module';
import { ScansModule } from './scans/scans.module';
import { SharedModule } from './shared/shared.module';
import { WatchlistModule } from './watchlist/watchlist.module';

export const SERVICE_NAME = 'tracking';
/** Tracking answers the public lookups, the portal's hottest route: it runs on Fastify (README "Performance"). */
export const HTTP_ENGINE = 'fastify' satisfies HttpEngine;

@Module({})
export class AppModule {
  static forRoot(config: TrackingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceAppModule.forRoot({
          config: { token: TRACKING_CONFIG, value: config },
          mongo: storeOptionsFromConfig(config),
          // Lookups fall back to the store: a command fails at once rather than wait for Redis to come
          // back, and without Redis the service is degraded, not down.
          redis: { url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX, failFast: true, critical: false },
        }),
        SharedModule,
        MessagingModule.forRoot(messagingOptionsFromConfig(SERVICE_NAME, config)),
        AuthModule.forRoot(authOptionsFromConfig(config)),
        ParcelsModule,
        AddressesModule,
        // Watchlist before lookup: `/tracking/watchlist` must not be taken for a tracking number.
        WatchlistModule,
        LookupModule,
        ScansModule,
        IngestModule,
        DeliveryModule,
      ],
    };
  }
}
