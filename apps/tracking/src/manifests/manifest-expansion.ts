import { type EventEnvelope, type ScanRecordedData, ScanRecordedV1, SCAN_CODES, scanEnvelopeId } from '@app/contracts';
import type { ParcelEvent } from '../parcels/parcel-state';

/**
 * The scans a manifest's scan stands for: one per label on the form, with the scan's code, time
 * and facility. Each gets an event id derived from the manifest number, the scan's event id and the
 * label's number, so a redelivered batch derives the same ids and the parcels apply nothing twice.
 */
export function labelScans(
  envelope: EventEnvelope<ScanRecordedData>,
  trackingNumbers: readonly string[],
): EventEnvelope<ScanRecordedData>[] {
  const manifest = envelope.data.trackingNumber;
  return trackingNumbers.map((trackingNumber) => {
    const eventId = scanEnvelopeId(`manifest:${manifest}:${envelope.data.eventId}:${trackingNumber}`);
    return {
      ...envelope,
      id: eventId,
      key: trackingNumber,
      data: { ...envelope.data, eventId, trackingNumber },
    };
  });
}

/**
 * The first scan recorded on a manifest's own number (the earliest; ties by event id), as the
 * ScanRecorded it came in as, for a form whose ManifestCreated arrived after it was scanned; undefined
 * when nothing but non-scan entries are there.
 */
export function firstRecordedScan(
  manifestNumber: string,
  events: readonly ParcelEvent[],
  correlationId: string,
): EventEnvelope<ScanRecordedData> | undefined {
  const scans = events.filter((e) => (SCAN_CODES as readonly string[]).includes(e.code));
  const first = [...scans].sort((a, b) =>
    a.occurredAt === b.occurredAt ? a.eventId.localeCompare(b.eventId) : a.occurredAt < b.occurredAt ? -1 : 1,
  )[0];
  if (!first) return undefined;
  return {
    id: scanEnvelopeId(first.eventId),
    type: ScanRecordedV1.type,
    version: ScanRecordedV1.version,
    occurredAt: first.occurredAt,
    source: 'tracking',
    correlationId,
    key: manifestNumber,
    data: {
      eventId: first.eventId,
      trackingNumber: manifestNumber,
      code: first.code as ScanRecordedData['code'],
      occurredAt: first.occurredAt,
      facility: first.facility as ScanRecordedData['facility'],
    },
  };
}
