import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';
import { pickupDayExample, pickupDaySchema } from './pickup-details';

export const PickupMissedV1 = defineEvent({
  type: 'PickupMissed',
  version: 1,
  topic: Topics.Pickup,
  schema: pickupDaySchema,
  example: pickupDayExample,
});

export type PickupMissedData = EventData<typeof PickupMissedV1>;
