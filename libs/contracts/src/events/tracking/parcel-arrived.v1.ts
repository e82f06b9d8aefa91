import { z } from 'zod';
import { Topics } from '../../topics';
import { facilitySchema, parcelRecipientSchema } from '../../tracking/tracking-schemas';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  trackingNumber: z.string().min(1),
  /** the post office holding the parcel */
  facility: facilitySchema,
  /** ISO-8601 instant until which it is held (occurredAt + 15 days) */
  holdUntil: z.string(),
  /** ISO-8601 instant of the available-for-pickup scan */
  occurredAt: z.string(),
  recipients: z.array(parcelRecipientSchema),
});

export const ParcelArrivedV1 = defineEvent({
  type: 'ParcelArrived',
  version: 1,
  topic: Topics.Tracking,
  schema,
  example: {
    trackingNumber: '9212391234567812345670',
    facility: { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' },
    holdUntil: '2025-05-18T09:30:00.000Z',
    occurredAt: '2025-05-03T09:30:00.000Z',
    recipients: [
      { userId: 'u_1', reason: 'watcher' },
      { userId: 'u_2', reason: 'addressee' },
    ],
  },
});

export type ParcelArrivedData = EventData<typeof ParcelArrivedV1>;
