import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { HELD_PARCEL_MODEL, HeldParcelSchema } from './held-parcel.schema';
import { HeldParcelsRepository } from './held-parcels.repository';
import { ParcelNumbersRepository } from './parcel-numbers.repository';
import { ParcelOutboxPending } from './parcel-outbox-pending';
import { ParcelRepository } from './parcel.repository';
import { PARCEL_MODEL, ParcelSchema } from './parcel.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: PARCEL_MODEL, schema: ParcelSchema },
      { name: HELD_PARCEL_MODEL, schema: HeldParcelSchema },
    ]),
  ],
  providers: [ParcelRepository, ParcelNumbersRepository, HeldParcelsRepository, ParcelOutboxPending],
  exports: [ParcelRepository, ParcelOutboxPending],
})
export class ParcelsModule {}
