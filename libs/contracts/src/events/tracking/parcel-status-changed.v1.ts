import { z } from 'zod';
import { Topics } from '../../topics';
import { SCAN_CODES, STATUS_CATEGORIES } from '../../tracking/scan-codes';
import { locationSchema, parcelRecipientSchema } from '../../tracking/tracking-schemas';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  trackingNumber: z.string().min(1),
  /** absent when the parcel was first known from this scan */
  previousCategory: z.enum(STATUS_CATEGORIES).optional(),
  statusCategory: z.enum(STATUS_CATEGORIES),
  /** the scan code that caused the change */
  code: z.enum(SCAN_CODES),
  /** human description of the code */
  description: z.string(),
  /** ISO-8601 instant of the scan */
  occurredAt: z.string(),
  location: locationSchema,
  recipients: z.array(parcelRecipientSchema),
});

export const ParcelStatusChangedV1 = defineEvent({
  type: 'ParcelStatusChanged',
  version: 1,
  topic: Topics.Tracking,
  schema,
  example: {
    trackingNumber: '9212391234567812345670',
    previousCategory: 'pre_shipment',
    statusCategory: 'accepted',
    code: 'accepted',
    description: 'Accepted at the post office',
    occurredAt: '2025-05-01T17:00:00.000Z',
    location: { city: 'CHICAGO', state: 'IL', zip: '60601' },
    recipients: [{ userId: 'u_1', reason: 'watcher' }],
  },
});

export type ParcelStatusChangedData = EventData<typeof ParcelStatusChangedV1>;
