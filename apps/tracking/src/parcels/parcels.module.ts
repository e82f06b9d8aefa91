import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { HeldParcelsRepository } from './held-parcels.repository';
import { ParcelNumbersRepository } from './parcel-numbers.repository';
import { ParcelOutboxPending } from './parcel-outbox-pending';
import { ParcelRepository } from './parcel.repository';
import { PARCEL_MODEL, ParcelSchema } from './parcel.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: PARCEL_MODEL, schema: ParcelSchema }])],
  providers: [ParcelRepository, ParcelNumbersRepository, HeldParcelsRepository, ParcelOutboxPending],
  exports: [ParcelRepository, ParcelOutboxPending],
})
export class ParcelsModule {}
