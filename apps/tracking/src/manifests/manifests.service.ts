import {
  isManifestNumber,
  type EventEnvelope,
  type ManifestCreatedData,
  normalizeTrackingNumber,
  type ScanRecordedData,
} from '@app/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { ParcelRepository } from '../parcels/parcel.repository';
import { firstRecordedScan, labelScans } from './manifest-expansion';
import { ManifestsRepository } from './manifests.repository';

/**
 * SCAN forms on the tracking side (issue 18): the postal systems scan a manifest's one barcode, and
 * each label on it should show that scan. Tracking learns the forms from ManifestCreated; the
 * manifest's first scan is copied onto each of its labels (later scans of the form stay on the
 * manifest's number only: after acceptance the parcels travel on their own barcodes). A scan of a
 * manifest tracking does not know yet is applied to the manifest's number first; when the form is
 * learnt (or right after that scan is stored, whichever comes second) the first scan stored on the
 * number is copied onto the labels then ({@link catchUp}).
 */
@Injectable()
export class ManifestsService {
  private readonly logger = new Logger(ManifestsService.name);

  constructor(
    private readonly repository: ManifestsRepository,
    private readonly parcels: ParcelRepository,
  ) {}

  /** Keeps the form; answers the label scans of a scan of it that arrived before it (see {@link catchUp}). */
  async remember(data: ManifestCreatedData, correlationId: string): Promise<EventEnvelope<ScanRecordedData>[]> {
    const number = normalizeTrackingNumber(data.manifestId);
    await this.repository.insert({
      _id: number,
      userId: data.userId,
      trackingNumbers: data.trackingNumbers.map(normalizeTrackingNumber),
      date: data.date,
    });
    return this.catchUp([number], correlationId);
  }

  /**
   * For known forms no scan was copied from yet: the label scans of the first scan already stored on
   * the form's own number. The form and its scan come on two topics, so either may be read first; each
   * side looks at the other's store after writing its own, so one of them always sees both. Both may:
   * the derived ids are the same, and the parcels apply them once.
   */
  async catchUp(numbers: readonly string[], correlationId: string): Promise<EventEnvelope<ScanRecordedData>[]> {
    if (numbers.length === 0) return [];
    const manifests = await this.repository.findMany(numbers);
    const derived: EventEnvelope<ScanRecordedData>[] = [];
    for (const manifest of manifests.values()) {
      if (manifest.expandedBy) continue;
      const parcel = await this.parcels.findById(manifest._id);
      const scan = parcel && firstRecordedScan(manifest._id, parcel.events, correlationId);
      if (!scan) continue;
      const first = await this.repository.markExpandedBy(manifest._id, scan.data.eventId);
      if (first !== scan.data.eventId) continue;
      this.logger.log({ manifest: manifest._id }, 'manifest learnt after its scan: the scan is copied onto its labels');
      derived.push(...labelScans(scan, manifest.trackingNumbers));
    }
    return derived;
  }

  /**
   * The label scans the manifest scans among `scans` stand for. No store access unless a number
   * has the manifest prefix, so the scan hot path stays as it was.
   */
  async expand(
    scans: readonly EventEnvelope<ScanRecordedData>[],
  ): Promise<{ derived: EventEnvelope<ScanRecordedData>[]; unknown: string[] }> {
    const candidates = scans.filter((s) => isManifestNumber(s.data.trackingNumber));
    if (candidates.length === 0) return { derived: [], unknown: [] };
    const manifests = await this.repository.findMany(candidates.map((s) => s.data.trackingNumber));
    const derived: EventEnvelope<ScanRecordedData>[] = [];
    const unknown = new Set<string>();
    for (const scan of candidates) {
      const number = scan.data.trackingNumber;
      const manifest = manifests.get(number);
      if (!manifest) {
        // looked at again once the scan is stored (catchUp), and when the form arrives
        unknown.add(number);
        continue;
      }
      const first = manifest.expandedBy ?? (await this.repository.markExpandedBy(number, scan.data.eventId));
      if (first === undefined) continue;
      manifest.expandedBy = first;
      // A redelivery of the first scan derives the same label scans again; the parcels skip them.
      if (first === scan.data.eventId) derived.push(...labelScans(scan, manifest.trackingNumbers));
    }
    return { derived, unknown: [...unknown] };
  }
}
