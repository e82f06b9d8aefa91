import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';
import { redeliveryDetailsSchema, RedeliveryRequestedV1 } from './redelivery-requested.v1';

/** A booked redelivery changed (date, place, instructions or contact): the whole new booking. */
export const RedeliveryChangedV1 = defineEvent({
  type: 'RedeliveryChanged',
  version: 1,
  topic: Topics.PostalRequests,
  schema: redeliveryDetailsSchema,
  example: { ...RedeliveryRequestedV1.example, date: '2025-05-09' },
});

export type RedeliveryChangedData = EventData<typeof RedeliveryChangedV1>;
