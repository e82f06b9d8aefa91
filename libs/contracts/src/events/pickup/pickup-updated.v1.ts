import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';
import { pickupDetailsExample, pickupDetailsSchema } from './pickup-details';

export const PickupUpdatedV1 = defineEvent({
  type: 'PickupUpdated',
  version: 1,
  topic: Topics.Pickup,
  schema: pickupDetailsSchema,
  example: { ...pickupDetailsExample, date: '2025-05-07' },
});

export type PickupUpdatedData = EventData<typeof PickupUpdatedV1>;
