import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Topics } from '../../topics';
import { SCAN_CODES } from '../../tracking/scan-codes';
import { facilitySchema, trackingNumberSchema } from '../../tracking/tracking-schemas';
import { defineEvent, type EventData } from '../event-definition';

/** How far in the future a scan's clock may be before the scan is refused. */
export const SCAN_CLOCK_SKEW_MS = 5 * 60 * 1000;

const schema = z
  .object({
    /** the scanner's id of this scan; the envelope id is derived from it (see `scanEnvelopeId`) */
    eventId: z.string().min(1).max(100),
    /** IMpb or S10; normalised (spaces removed, upper case) by the schema */
    trackingNumber: trackingNumberSchema,
    code: z.enum(SCAN_CODES),
    /** ISO-8601 instant, at most 5 minutes ahead of the receiving clock */
    occurredAt: z
      .string()
      .datetime({ offset: true })
      .refine((value) => Date.parse(value) <= Date.now() + SCAN_CLOCK_SKEW_MS, {
        message: 'occurredAt is in the future',
      }),
    facility: facilitySchema.strict(),
  })
  .strict();

export const ScanRecordedV1 = defineEvent({
  type: 'ScanRecorded',
  version: 1,
  topic: Topics.PostalScans,
  schema,
  example: {
    eventId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
    trackingNumber: '9212391234567812345670',
    code: 'available_for_pickup',
    occurredAt: '2025-05-03T09:30:00.000Z',
    facility: { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' },
  },
});

export type ScanRecordedData = EventData<typeof ScanRecordedV1>;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The envelope id of a scan: its eventId when that is a uuid, otherwise a uuid derived from it
 * (SHA-1, version 5 layout) so a re-sent scan keeps the same idempotency key.
 */
export function scanEnvelopeId(eventId: string): string {
  if (UUID_PATTERN.test(eventId)) return eventId.toLowerCase();
  const hex = createHash('sha1').update(`postal.scans:${eventId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
