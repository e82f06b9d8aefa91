import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AddressesModule } from '../addresses/addresses.module';
import { ReadModelModule } from '../lookup/read-model.module';
import { ParcelsModule } from '../parcels/parcels.module';
import {
  DELIVERY_REQUEST_MODEL,
  DeliveryRequestSchema,
  PARCEL_CLAIM_MODEL,
  ParcelClaimSchema,
} from './delivery-request.schema';
import { AddressInstructionsController } from './address-instructions.controller';
import { DeliveryQuota } from './delivery-quota';
import { DeliveryRequestsRepository } from './delivery-requests.repository';
import { HoldMailController } from './hold-mail.controller';
import { HoldRemindersJob } from './hold-reminders.job';
import { HoldMailService } from './hold-mail.service';
import { ParcelAccessService } from './parcel-access.service';
import { ParcelActionsController } from './parcel-actions.controller';
import { ParcelOptionsService } from './parcel-options.service';
import { ParcelRequestsService } from './parcel-requests.service';
import { RedeliveriesController } from './redeliveries.controller';
import { RedeliveriesService } from './redeliveries.service';
import { RequestClaims } from './request-claims';
import { RequestEvents } from './request-events';
import { RequestOutcomesJob } from './request-outcomes.job';

/** Delivery management: what a parcel's recipient or shipper may ask the postal service to do. */
@Module({
  imports: [
    ParcelsModule,
    AddressesModule,
    ReadModelModule,
    MongooseModule.forFeature([
      { name: DELIVERY_REQUEST_MODEL, schema: DeliveryRequestSchema },
      { name: PARCEL_CLAIM_MODEL, schema: ParcelClaimSchema },
    ]),
  ],
  controllers: [ParcelActionsController, RedeliveriesController, AddressInstructionsController, HoldMailController],
  providers: [
    ParcelAccessService,
    DeliveryRequestsRepository,
    RedeliveriesService,
    ParcelOptionsService,
    ParcelRequestsService,
    HoldMailService,
    HoldRemindersJob,
    RequestOutcomesJob,
    RequestEvents,
    RequestClaims,
    DeliveryQuota,
  ],
  exports: [HoldMailService],
})
export class DeliveryModule {}
