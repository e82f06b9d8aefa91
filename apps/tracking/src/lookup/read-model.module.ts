import { Module } from '@nestjs/common';
import { ParcelsModule } from '../parcels/parcels.module';
import { TrackingReadModel } from './tracking-read-model';
import { TrackingViewStore } from './tracking-view-store';

/** The public views in Redis, on their own so delivery management (a dependency of lookups) can publish them too. */
@Module({
  imports: [ParcelsModule],
  providers: [TrackingViewStore, TrackingReadModel],
  exports: [TrackingViewStore, TrackingReadModel],
})
export class ReadModelModule {}
