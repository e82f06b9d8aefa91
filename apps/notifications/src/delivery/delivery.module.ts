import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { QueuesModule } from '../queues/queues.module';
import { DeliveryWorkers } from './delivery-workers';
import { DeliveryMetrics } from './delivery-metrics';
import { DeliveryService } from './delivery.service';
import { EmailSender } from './email/email-sender';
import { SmtpEmailSender } from './email/smtp-email-sender';
import { ReconciliationService } from './reconciliation.service';
import { HttpSmsSender } from './sms/http-sms-sender';
import { SinkSmsSender } from './sms/sink-sms-sender';
import { SmsSender } from './sms/sms-sender';
import { SinkSmsRecord, SinkSmsSchema } from './sms/sms-sink.schema';
import { SmsSinkRepository } from './sms/sms-sink.repository';
import { Clock } from '@app/platform';

const sinkModel = MongooseModule.forFeature([{ name: SinkSmsRecord.name, schema: SinkSmsSchema }]);

/** The providers, chosen by config. */
@Module({
  imports: [sinkModel],
  providers: [
    SmsSinkRepository,
    {
      provide: EmailSender,
      inject: [NOTIFICATIONS_CONFIG],
      useFactory: (config: NotificationsConfig) =>
        new SmtpEmailSender({ url: config.SMTP_URL, from: config.MAIL_FROM, poolSize: config.SMTP_POOL_SIZE }),
    },
    {
      provide: SmsSender,
      inject: [NOTIFICATIONS_CONFIG, SmsSinkRepository, Clock],
      useFactory: (config: NotificationsConfig, sink: SmsSinkRepository, clock: Clock) =>
        config.SMS_PROVIDER === 'http'
          ? new HttpSmsSender({
              baseUrl: config.SMS_HTTP_BASE_URL,
              accountSid: config.SMS_HTTP_ACCOUNT_SID,
              authToken: config.SMS_HTTP_AUTH_TOKEN,
              from: config.SMS_FROM,
            })
          : new SinkSmsSender(sink, clock, { showCodes: config.SMS_SINK_SHOW_CODES }),
    },
  ],
  exports: [EmailSender, SmsSender, SmsSinkRepository],
})
export class ProvidersModule {}

/** Workers for the `email` and `sms` queues and the reconciliation of lost jobs (role worker or all). */
@Module({
  imports: [ProvidersModule, QueuesModule],
  providers: [DeliveryService, DeliveryMetrics, DeliveryWorkers, ReconciliationService],
  exports: [DeliveryService, ReconciliationService],
})
export class DeliveryModule {}
