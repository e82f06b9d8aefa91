import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AddressesModule } from '../addresses/addresses.module';
import { LabelsModule } from '../labels/labels.module';
import { MissedPickupsJob } from './missed-pickups.job';
import { Pickup, PickupSchema } from './pickup.schema';
import { PickupsController } from './pickups.controller';
import { PickupsRepository } from './pickups.repository';
import { PickupsService } from './pickups.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: Pickup.name, schema: PickupSchema }]), LabelsModule, AddressesModule],
  controllers: [PickupsController],
  providers: [PickupsService, PickupsRepository, MissedPickupsJob],
  exports: [PickupsService],
})
export class PickupsModule {}
