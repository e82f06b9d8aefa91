import { AuthModule, authOptionsFromConfig } from '@app/auth';
import { MessagingHealth, MessagingModule, messagingOptionsFromConfig, withQueryPlan } from '@app/messaging';
import { HealthRegistry, type HttpEngine, mongoReadinessCheck, RedisConnection } from '@app/platform';
import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { TrackingConfig } from './config';
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
export class AppModule implements OnModuleInit {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly health: HealthRegistry,
    private readonly messagingHealth: MessagingHealth,
    private readonly redis: RedisConnection,
  ) {}

  static forRoot(config: TrackingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SharedModule.forRoot(config),
        MongooseModule.forRoot(config.MONGO_URL, {
          dbName: config.MONGO_DB,
          connectionFactory: withQueryPlan(config.MONGO_QUERY_PLAN),
        }),
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

  onModuleInit(): void {
    this.health.register('mongo', mongoReadinessCheck(this.connection));
    this.messagingHealth.registerWith(this.health);
    // Without Redis lookups read the store: degraded, not down.
    this.health.register('redis', () => this.redis.ping(), { critical: false });
  }
}
