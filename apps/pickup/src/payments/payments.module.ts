import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRecord, IdempotencyRecordSchema } from './idempotency-record.schema';
import { IdempotencyService } from './idempotency.service';
import { IdempotencyRecordsRepository, ProviderEventsRepository } from './payment-records.repository';
import { PaymentErrorsInterceptor } from './payment-errors.interceptor';
import { paymentProviders } from './payments.providers';
import { PaymentsConfigController } from './payments-config.controller';
import { WebhookController } from './webhook.controller';
import { WebhookEvent, WebhookEventSchema } from './webhook-event.schema';
import { PaymentWebhookService } from './webhook.service';

/** The payment provider, Idempotency-Key records and the provider's webhook. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: IdempotencyRecord.name, schema: IdempotencyRecordSchema },
      { name: WebhookEvent.name, schema: WebhookEventSchema },
    ]),
  ],
  controllers: [WebhookController, PaymentsConfigController],
  providers: [
    ...paymentProviders,
    IdempotencyRecordsRepository,
    IdempotencyService,
    ProviderEventsRepository,
    IdempotencyInterceptor,
    PaymentWebhookService,
    { provide: APP_INTERCEPTOR, useClass: PaymentErrorsInterceptor },
  ],
  exports: [...paymentProviders, IdempotencyService, IdempotencyInterceptor, PaymentWebhookService],
})
export class PaymentsModule {}
