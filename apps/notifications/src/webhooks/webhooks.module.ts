import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DispatchModule } from '../messages/dispatch.module';
import { QueuesModule } from '../queues/queues.module';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookFanout } from './webhook-fanout.service';
import { ParcelShippersRepository } from './parcel-shippers.repository';
import { WebhookNotices } from './webhook-notices';
import { WebhookQueue } from './webhook-queue';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';
import { DnsResolver, WebhookUrlGuard } from './webhook-url-guard';
import { WebhookWorker } from './webhook-worker';
import {
  ParcelShipperRecord,
  ParcelShipperSchema,
  WebhookDeliveryRecord,
  WebhookDeliverySchema,
  WebhookEndpointRecord,
  WebhookEndpointSchema,
  WebhookOwnerRecord,
  WebhookOwnerSchema,
} from './webhook.schema';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

const models = MongooseModule.forFeature([
  { name: WebhookEndpointRecord.name, schema: WebhookEndpointSchema },
  { name: WebhookOwnerRecord.name, schema: WebhookOwnerSchema },
  { name: ParcelShipperRecord.name, schema: ParcelShipperSchema },
  { name: WebhookDeliveryRecord.name, schema: WebhookDeliverySchema },
]);

/** What both roles need: the store, the `webhook` queue, the SSRF guard and the security notices. */
@Module({
  imports: [models, QueuesModule, DispatchModule],
  providers: [
    WebhooksRepository,
    ParcelShippersRepository,
    WebhookQueue,
    DnsResolver,
    WebhookUrlGuard,
    WebhookNotices,
    WebhookSecrets,
  ],
  exports: [
    WebhooksRepository,
    ParcelShippersRepository,
    WebhookQueue,
    WebhookUrlGuard,
    WebhookNotices,
    WebhookSecrets,
  ],
})
export class WebhooksCoreModule {}

/** The API role: the routes, and the fan-out of consumed events into deliveries. */
@Module({
  imports: [WebhooksCoreModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookFanout],
  exports: [WebhookFanout],
})
export class WebhooksModule {}

/** The worker role: the `webhook` queue's processor. */
@Module({
  imports: [WebhooksCoreModule],
  providers: [WebhookSender, WebhookDeliveryService, WebhookWorker],
})
export class WebhooksWorkerModule {}
