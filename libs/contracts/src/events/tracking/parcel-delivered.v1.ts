import { z } from 'zod';
import { Topics } from '../../topics';
import { locationSchema, parcelRecipientSchema } from '../../tracking/tracking-schemas';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  trackingNumber: z.string().min(1),
  /** ISO-8601 instant of the delivered scan */
  occurredAt: z.string(),
  location: locationSchema,
  recipients: z.array(parcelRecipientSchema),
});

export const ParcelDeliveredV1 = defineEvent({
  type: 'ParcelDelivered',
  version: 1,
  topic: Topics.Tracking,
  schema,
  example: {
    trackingNumber: '9212391234567812345670',
    occurredAt: '2025-05-04T14:10:00.000Z',
    location: { city: 'DENVER', state: 'CO', zip: '80202' },
    recipients: [{ userId: 'u_1', reason: 'watcher' }],
  },
});

export type ParcelDeliveredData = EventData<typeof ParcelDeliveredV1>;
