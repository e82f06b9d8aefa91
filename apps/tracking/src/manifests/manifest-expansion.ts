import { type EventEnvelope, type ScanRecordedData, scanEnvelopeId } from '@app/contracts';

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
