import { AuthModule } from '@app/auth';
import { MessagingModule } from '@app/messaging';
import { HealthRegistry, mongoReadinessCheck } from '@app/platform';
import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { TrackingConfig } from './config';
import { AddressesModule } from './addresses/addresses.module';
import { IngestModule } from './ingest/ingest.module';
import { LookupModule } from './lookup/lookup.module';
import { ParcelsModule } from './parcels/parcels.module';
import { ScansModule } from './scans/scans.module';
import { SharedModule } from './shared/shared.module';
import { WatchlistModule } from './watchlist/watchlist.module';

export const SERVICE_NAME = 'tracking';

@Module({})
export class AppModule implements OnModuleInit {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(config: TrackingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SharedModule.forRoot(config),
        MongooseModule.forRoot(config.MONGO_URL, { dbName: config.MONGO_DB }),
        MessagingModule.forRoot({
          clientId: SERVICE_NAME,
          brokers: config.KAFKA_BROKERS,
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          partitions: config.KAFKA_PARTITIONS,
          outbox: {
            sweepIntervalMs: config.OUTBOX_SWEEP_INTERVAL_MS,
            crashAfterWrite: config.OUTBOX_CRASH_AFTER_WRITE,
          },
        }),
        AuthModule.forRoot({
          jwksUrl: `${config.AUTH_URL}/.well-known/jwks.json`,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        ParcelsModule,
        AddressesModule,
        // Watchlist before lookup: `/tracking/watchlist` must not be taken for a tracking number.
        WatchlistModule,
        LookupModule,
        ScansModule,
        IngestModule,
      ],
    };
  }

  onModuleInit(): void {
    this.health.register('mongo', mongoReadinessCheck(this.connection));
  }
}
