import { Module } from '@nestjs/common';
import { AddressesModule } from '../addresses/addresses.module';
import { ParcelsModule } from '../parcels/parcels.module';
import { TrackingController } from './tracking.controller';
import { TrackingViewCache } from './tracking-view-cache';
import { TrackingService } from './tracking.service';

@Module({
  imports: [ParcelsModule, AddressesModule],
  controllers: [TrackingController],
  providers: [TrackingService, TrackingViewCache],
  exports: [TrackingViewCache],
})
export class LookupModule {}
