import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authOptionsFromConfig } from '@app/auth';
import { MessagingModule, messagingOptionsFromConfig, withQueryPlan } from '@app/messaging';
import { ServiceAppModule } from '@app/platform';
import { AccountModule } from './account/account.module';
import { ReceiptsModule } from './receipts/receipts.module';
import { AcceptanceModule } from './acceptance/acceptance.module';
import { CommonModule } from './common/common.module';
import { SERVICE_NAME } from './common/event-factory';
import { PICKUP_CONFIG, type PickupConfig } from './config';
import { LabelsModule } from './labels/labels.module';
import { OrdersModule } from './orders/orders.module';
import { PickupsModule } from './pickups/pickups.module';
import { RatesModule } from './rates/rates.module';
import { StampsModule } from './stamps/stamps.module';

@Module({})
export class AppModule {
  static forRoot(config: PickupConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceAppModule.forRoot({
          config: { token: PICKUP_CONFIG, value: config },
          mongo: {
            url: config.MONGO_URL,
            dbName: config.MONGO_DB,
            connectionFactory: withQueryPlan(config.MONGO_QUERY_PLAN),
          },
          redis: { url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX },
        }),
        CommonModule,
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
    };
  }
}
