import { Module } from '@nestjs/common';
import { AddressesModule } from '../addresses/addresses.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { ParcelsModule } from '../parcels/parcels.module';
import { TrackingController } from './tracking.controller';
import { ReadModelModule } from './read-model.module';
import { TrackingService } from './tracking.service';

@Module({
  imports: [ParcelsModule, AddressesModule, DeliveryModule, ReadModelModule],
  controllers: [TrackingController],
  providers: [TrackingService],
  exports: [ReadModelModule],
})
export class LookupModule {}
