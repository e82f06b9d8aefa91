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
});

export const PickupMissedV1 = defineEvent({
  type: 'PickupMissed',
  version: 1,
  topic: Topics.Pickup,
  schema,
  example: { confirmationNumber: 'WTC100000001', userId: 'u_1', date: '2025-05-06' },
});

export type PickupMissedData = EventData<typeof PickupMissedV1>;
