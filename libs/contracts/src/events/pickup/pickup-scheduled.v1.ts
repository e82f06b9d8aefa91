import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';
import { pickupDetailsExample, pickupDetailsSchema } from './pickup-details';

export const PickupScheduledV1 = defineEvent({
  type: 'PickupScheduled',
  version: 1,
  topic: Topics.Pickup,
  schema: pickupDetailsSchema,
  example: pickupDetailsExample,
});

export type PickupScheduledData = EventData<typeof PickupScheduledV1>;
