import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { OrgAuditInterceptor } from './common/org-audit.interceptor';
import { AuthModule, authOptionsFromConfig } from '@app/auth';
import { MessagingModule, messagingOptionsFromConfig } from '@app/messaging';
import { storeOptionsFromConfig } from '@app/persistence';
import { ServiceAppModule } from '@app/platform';
import { AccountModule } from './account/account.module';
import { BatchesModule } from './batches/batches.module';
import { ReceiptsModule } from './receipts/receipts.module';
import { AcceptanceModule } from './acceptance/acceptance.module';
import { CommonModule } from './common/common.module';
import { SERVICE_NAME } from './common/event-factory';
import { PICKUP_CONFIG, type PickupConfig } from './config';
import { LabelsModule } from './labels/labels.module';
import { ManifestsModule } from './manifests/manifests.module';
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
          mongo: storeOptionsFromConfig(config),
          redis: { url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX },
        }),
        CommonModule,
        MessagingModule.forRoot(messagingOptionsFromConfig(SERVICE_NAME, config)),
        AuthModule.forRoot(authOptionsFromConfig(config)),
        // Rates and batches first: `/labels/quote` and `/labels/batches` must not be read as label ids.
        RatesModule,
        BatchesModule,
        LabelsModule,
        PickupsModule,
        AcceptanceModule,
        ManifestsModule,
        StampsModule,
        OrdersModule,
        AccountModule,
        ReceiptsModule,
      ],
      // Teams (issue 18): changes made for an organisation go to its audit log.
      providers: [{ provide: APP_INTERCEPTOR, useClass: OrgAuditInterceptor }],
    };
  }
}
