import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  confirmationNumber: z.string(),
  userId: z.string(),
  /** For an organisation's label or pickup (`userId` is `org:<id>`): the member who acted; absent otherwise and in older events */
  actedBy: z.string().optional(),
  /** `YYYY-MM-DD` */
  date: z.string(),
  /** the attached label whose acceptance scan completed the pickup */
  trackingNumber: z.string(),
});

export const PickupCompletedV1 = defineEvent({
  type: 'PickupCompleted',
  version: 1,
  topic: Topics.Pickup,
  schema,
  example: {
    confirmationNumber: 'WTC100000001',
    userId: 'u_1',
    date: '2025-05-06',
    trackingNumber: '9470100123456000000017',
  },
});

export type PickupCompletedData = EventData<typeof PickupCompletedV1>;
