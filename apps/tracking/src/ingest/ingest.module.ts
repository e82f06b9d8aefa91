import { Module } from '@nestjs/common';
import { AddressesModule } from '../addresses/addresses.module';
import { LookupModule } from '../lookup/lookup.module';
import { ManifestsModule } from '../manifests/manifests.module';
import { ParcelsModule } from '../parcels/parcels.module';
import { WatchlistModule } from '../watchlist/watchlist.module';
import { ParcelIngestService } from './parcel-ingest.service';
import { TrackingEventsConsumer } from './tracking-events.consumer';

@Module({
  imports: [ParcelsModule, AddressesModule, WatchlistModule, LookupModule, ManifestsModule],
  providers: [ParcelIngestService, TrackingEventsConsumer],
  exports: [ParcelIngestService],
})
export class IngestModule {}
