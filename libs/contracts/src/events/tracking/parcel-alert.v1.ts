import { z } from 'zod';
import { Topics } from '../../topics';
import { locationSchema, parcelRecipientSchema } from '../../tracking/tracking-schemas';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  trackingNumber: z.string().min(1),
  /** delivery_attempted, returned_to_sender or exception */
  code: z.enum(['delivery_attempted', 'returned_to_sender', 'exception']),
  /** human description of the code */
  description: z.string(),
  /** ISO-8601 instant of the scan */
  occurredAt: z.string(),
  location: locationSchema,
  recipients: z.array(parcelRecipientSchema),
});

export const ParcelAlertV1 = defineEvent({
  type: 'ParcelAlert',
  version: 1,
  topic: Topics.Tracking,
  schema,
  example: {
    trackingNumber: '9212391234567812345670',
    code: 'delivery_attempted',
    description: 'Delivery attempted, notice left',
    occurredAt: '2025-05-04T14:10:00.000Z',
    location: { city: 'DENVER', state: 'CO', zip: '80202' },
    recipients: [{ userId: 'u_1', reason: 'watcher' }],
  },
});

export type ParcelAlertData = EventData<typeof ParcelAlertV1>;
