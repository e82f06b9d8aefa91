import { Module } from '@nestjs/common';
import { AddressesModule } from '../addresses/addresses.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { ParcelsModule } from '../parcels/parcels.module';
import { TrackingController } from './tracking.controller';
import { TrackingReadModel } from './tracking-read-model';
import { TrackingViewStore } from './tracking-view-store';
import { TrackingService } from './tracking.service';

@Module({
  imports: [ParcelsModule, AddressesModule, DeliveryModule],
  controllers: [TrackingController],
  providers: [TrackingService, TrackingViewStore, TrackingReadModel],
  exports: [TrackingReadModel],
})
export class LookupModule {}
