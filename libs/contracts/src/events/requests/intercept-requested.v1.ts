import { z } from 'zod';
import { interceptActionSchema } from '../../delivery/delivery-requests';
import { postalAddressSchema } from '../../shipping/postal-address';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  interceptId: z.string().min(1).max(40),
  trackingNumber: z.string().min(1).max(40),
  /** the shipper who asked */
  userId: z.string().min(1).max(100),
  action: interceptActionSchema,
  /** the new destination of a redirect */
  address: postalAddressSchema.optional(),
});

export const InterceptRequestedV1 = defineEvent({
  type: 'InterceptRequested',
  version: 1,
  topic: Topics.PostalRequests,
  schema,
  example: {
    interceptId: 'IC1A2B3C4D5E',
    trackingNumber: '9212391234567812345670',
    userId: 'u_1',
    action: 'redirect',
    address: { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' },
  },
});

export type InterceptRequestedData = EventData<typeof InterceptRequestedV1>;
