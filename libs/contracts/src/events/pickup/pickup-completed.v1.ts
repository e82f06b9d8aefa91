import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';
import { pickupDayExample, pickupDaySchema } from './pickup-details';

export const PickupCompletedV1 = defineEvent({
  type: 'PickupCompleted',
  version: 1,
  topic: Topics.Pickup,
  schema: pickupDaySchema.extend({
    /** the attached label whose acceptance scan completed the pickup */
    trackingNumber: z.string(),
  }),
  example: { ...pickupDayExample, trackingNumber: '9470100123456000000017' },
});

export type PickupCompletedData = EventData<typeof PickupCompletedV1>;
