import {
  AddressRemovedV1,
  AddressVerifiedV1,
  ConsumerGroups,
  type EventEnvelope,
  EventHandlers,
  LabelCreatedV1,
  ManifestCreatedV1,
  type ManifestCreatedData,
  normalizeTrackingNumber,
  type LabelCreatedData,
  type ScanRecordedData,
  ScanRecordedV1,
  Topics,
} from '@app/contracts';
import { EventConsumer } from '@app/messaging';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AddressesService } from '../addresses/addresses.service';
import { ManifestsService } from '../manifests/manifests.service';
import { WatchlistService } from '../watchlist/watchlist.service';
import { ParcelIngestService, type ParcelInput } from './parcel-ingest.service';

/** What one event of a batch contributes: an input to a parcel, a label to list, a SCAN form to keep, an address change. */
interface BatchPart {
  input?: ParcelInput;
  label?: LabelCreatedData;
  manifest?: { data: ManifestCreatedData; correlationId: string };
  identity?: () => Promise<void>;
}

/**
 * One consumer group for the three inputs: scans (the hot path, applied a partition batch at a
 * time), labels and SCAN forms from pickup, and verified addresses from identity. Other event types
 * are ignored.
 */
@Injectable()
export class TrackingEventsConsumer implements OnApplicationBootstrap {
  private readonly parts = new EventHandlers<BatchPart>()
    .on(ScanRecordedV1, (_data, envelope) => ({ input: { kind: 'scan', envelope } }))
    .on(LabelCreatedV1, (data, envelope) => {
      const label = { ...data, trackingNumber: normalizeTrackingNumber(data.trackingNumber) };
      return { input: { kind: 'label', envelope: { ...envelope, data: label } }, label };
    })
    .on(ManifestCreatedV1, (data, envelope) => ({ manifest: { data, correlationId: envelope.correlationId } }))
    .on(AddressVerifiedV1, (data) => ({ identity: () => this.addresses.addressVerified(data) }))
    .on(AddressRemovedV1, (data) => ({ identity: () => this.addresses.addressRemoved(data) }));

  constructor(
    private readonly consumer: EventConsumer,
    private readonly ingest: ParcelIngestService,
    private readonly addresses: AddressesService,
    private readonly watchlist: WatchlistService,
    private readonly manifests: ManifestsService,
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
    const parts = envelopes.flatMap((envelope) => this.parts.dispatch(envelope) ?? []);
    const caughtUp: EventEnvelope<ScanRecordedData>[] = [];
    for (const { manifest } of parts) {
      if (manifest) caughtUp.push(...(await this.manifests.remember(manifest.data, manifest.correlationId)));
    }
    const inputs = parts.flatMap((part) => part.input ?? []);
    // A scan of a SCAN form's number also becomes a scan of each label on it, applied with the rest.
    const scans = inputs.flatMap((input) => (input.kind === 'scan' ? [input.envelope] : []));
    const { derived, unknown } = await this.manifests.expand(scans);
    await this.ingest.apply([...inputs, ...[...caughtUp, ...derived].map((envelope) => asScan(envelope))]);
    // A form not known when its scan came may have been learnt meanwhile, by a batch that did not see the scan yet.
    const late = await this.manifests.catchUp(unknown, scans[0]?.correlationId ?? 'manifest-catch-up');
    if (late.length > 0) await this.ingest.apply(late.map((envelope) => asScan(envelope)));
    for (const { label } of parts) if (label) await this.watchlist.ensureListed(label.userId, label.trackingNumber);
    // Identity events of one user arrive in order on one partition: apply them in order.
    for (const { identity } of parts) if (identity) await identity();
  }
}

function asScan(envelope: EventEnvelope<ScanRecordedData>): ParcelInput {
  return { kind: 'scan', envelope };
}
