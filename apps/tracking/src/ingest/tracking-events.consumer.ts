import {
  AddressRemovedV1,
  AddressVerifiedV1,
  ConsumerGroups,
  type AddressRemovedData,
  type AddressVerifiedData,
  type EventEnvelope,
  LabelCreatedV1,
  normalizeTrackingNumber,
  type LabelCreatedData,
  ScanRecordedV1,
  type ScanRecordedData,
  Topics,
} from '@app/contracts';
import { EventConsumer } from '@app/messaging';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AddressesService } from '../addresses/addresses.service';
import { WatchlistService } from '../watchlist/watchlist.service';
import { ParcelIngestService, type ParcelInput } from './parcel-ingest.service';

/**
 * One consumer group for the three inputs: scans (the hot path, applied a partition batch at a
 * time), labels from pickup, and verified addresses from identity. Other event types are ignored.
 */
@Injectable()
export class TrackingEventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly ingest: ParcelIngestService,
    private readonly addresses: AddressesService,
    private readonly watchlist: WatchlistService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.run({
      groupId: ConsumerGroups.Tracking,
      topics: [Topics.PostalScans, Topics.Pickup, Topics.Identity],
      handle: (envelope) => this.handleBatch([envelope]),
      handleBatch: (envelopes) => this.handleBatch(envelopes),
    });
  }

  async handleBatch(envelopes: readonly EventEnvelope[]): Promise<void> {
    const parcelInputs: ParcelInput[] = [];
    const labels: LabelCreatedData[] = [];
    for (const envelope of envelopes) {
      if (is(envelope, ScanRecordedV1)) {
        parcelInputs.push({ kind: 'scan', envelope: envelope as EventEnvelope<ScanRecordedData> });
      } else if (is(envelope, LabelCreatedV1)) {
        const data = envelope.data as LabelCreatedData;
        const label = { ...data, trackingNumber: normalizeTrackingNumber(data.trackingNumber) };
        parcelInputs.push({ kind: 'label', envelope: { ...envelope, data: label } });
        labels.push(label);
      }
    }
    await this.ingest.apply(parcelInputs);
    for (const label of labels) await this.watchlist.ensureListed(label.userId, label.trackingNumber);
    // Identity events of one user arrive in order on one partition: apply them in order.
    for (const envelope of envelopes) {
      if (is(envelope, AddressVerifiedV1)) await this.addresses.addressVerified(envelope.data as AddressVerifiedData);
      else if (is(envelope, AddressRemovedV1)) await this.addresses.addressRemoved(envelope.data as AddressRemovedData);
    }
  }
}

function is(envelope: EventEnvelope, definition: { type: string; version: number }): boolean {
  return envelope.type === definition.type && envelope.version === definition.version;
}
