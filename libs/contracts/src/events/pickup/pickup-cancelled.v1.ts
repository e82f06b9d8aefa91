import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';
import { pickupDayExample, pickupDaySchema } from './pickup-details';

export const PickupCancelledV1 = defineEvent({
  type: 'PickupCancelled',
  version: 1,
  topic: Topics.Pickup,
  schema: pickupDaySchema,
  example: pickupDayExample,
});

export type PickupCancelledData = EventData<typeof PickupCancelledV1>;
