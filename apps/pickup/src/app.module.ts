import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import { OrgAuditInterceptor } from './common/org-audit.interceptor';
import type { Connection } from 'mongoose';
import { AuthModule, authOptionsFromConfig } from '@app/auth';
import { MessagingHealth, MessagingModule, messagingOptionsFromConfig, withQueryPlan } from '@app/messaging';
import { HealthRegistry, mongoReadinessCheck } from '@app/platform';
import { AccountModule } from './account/account.module';
import { ReceiptsModule } from './receipts/receipts.module';
import { AcceptanceModule } from './acceptance/acceptance.module';
import { CommonModule } from './common/common.module';
import { SERVICE_NAME } from './common/event-factory';
import { RedisConnection } from './common/redis.provider';
import type { PickupConfig } from './config';
import { LabelsModule } from './labels/labels.module';
import { OrdersModule } from './orders/orders.module';
import { PickupsModule } from './pickups/pickups.module';
import { RatesModule } from './rates/rates.module';
import { StampsModule } from './stamps/stamps.module';

@Module({})
export class AppModule implements OnModuleInit {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly health: HealthRegistry,
    private readonly messagingHealth: MessagingHealth,
    private readonly redis: RedisConnection,
  ) {}

  static forRoot(config: PickupConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(config),
        MongooseModule.forRoot(config.MONGO_URL, {
          dbName: config.MONGO_DB,
          connectionFactory: withQueryPlan(config.MONGO_QUERY_PLAN),
        }),
        MessagingModule.forRoot(messagingOptionsFromConfig(SERVICE_NAME, config)),
        AuthModule.forRoot(authOptionsFromConfig(config)),
        // Rates first: `/labels/quote` must not be read as a label id.
        RatesModule,
        LabelsModule,
        PickupsModule,
        AcceptanceModule,
        StampsModule,
        OrdersModule,
        AccountModule,
        ReceiptsModule,
      ],
      // Teams (issue 18): changes made for an organisation go to its audit log.
      providers: [{ provide: APP_INTERCEPTOR, useClass: OrgAuditInterceptor }],
    };
  }

  onModuleInit(): void {
    this.health.register('mongo', mongoReadinessCheck(this.connection));
    this.messagingHealth.registerWith(this.health);
    this.health.register('redis', async () => {
      await this.redis.client.ping();
    });
  }
}
