import {
  isManifestNumber,
  type EventEnvelope,
  type ManifestCreatedData,
  normalizeTrackingNumber,
  type ScanRecordedData,
} from '@app/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { labelScans } from './manifest-expansion';
import { ManifestsRepository } from './manifests.repository';

/**
 * SCAN forms on the tracking side (issue 18): the postal systems scan a manifest's one barcode, and
 * each label on it should show that scan. Tracking learns the forms from ManifestCreated; the
 * manifest's first scan is copied onto each of its labels (later scans of the form stay on the
 * manifest's number only: after acceptance the parcels travel on their own barcodes). A scan of a
 * manifest tracking does not know yet is applied to the manifest's number only, as before.
 */
@Injectable()
export class ManifestsService {
  private readonly logger = new Logger(ManifestsService.name);

  constructor(private readonly repository: ManifestsRepository) {}

  async remember(data: ManifestCreatedData): Promise<void> {
    await this.repository.insert({
      _id: normalizeTrackingNumber(data.manifestId),
      userId: data.userId,
      trackingNumbers: data.trackingNumbers.map(normalizeTrackingNumber),
      date: data.date,
    });
  }

  /**
   * The label scans the manifest scans among `scans` stand for. No store access unless a number
   * has the manifest prefix, so the scan hot path stays as it was.
   */
  async expand(scans: readonly EventEnvelope<ScanRecordedData>[]): Promise<EventEnvelope<ScanRecordedData>[]> {
    const candidates = scans.filter((s) => isManifestNumber(s.data.trackingNumber));
    if (candidates.length === 0) return [];
    const manifests = await this.repository.findMany(candidates.map((s) => s.data.trackingNumber));
    const derived: EventEnvelope<ScanRecordedData>[] = [];
    for (const scan of candidates) {
      const number = scan.data.trackingNumber;
      const manifest = manifests.get(number);
      if (!manifest) {
        this.logger.warn({ manifest: number }, 'scan of a manifest not known yet: applied to its number only');
        continue;
      }
      const first = manifest.expandedBy ?? (await this.repository.markExpandedBy(number, scan.data.eventId));
      if (first === undefined) continue;
      manifest.expandedBy = first;
      // A redelivery of the first scan derives the same label scans again; the parcels skip them.
      if (first === scan.data.eventId) derived.push(...labelScans(scan, manifest.trackingNumbers));
    }
    return derived;
  }
}
