import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ParcelNumbers } from './parcel-numbers';
import { ParcelRepository } from './parcel.repository';
import { PARCEL_MODEL, ParcelSchema } from './parcel.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: PARCEL_MODEL, schema: ParcelSchema }])],
  providers: [ParcelRepository, ParcelNumbers],
  exports: [ParcelRepository],
})
export class ParcelsModule {}
