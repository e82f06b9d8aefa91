import { z } from 'zod';
import { redeliveryLocationSchema } from '../../delivery/delivery-requests';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/**
 * Where the carrier should leave parcels: for one parcel (keyed by its tracking number), or the
 * default of a verified address (keyed by the address key, `ZIP5|LINE1[|UNIT]`), which applies to
 * its parcels without instructions of their own.
 */
const schema = z.object({
  scope: z.enum(['parcel', 'address']),
  trackingNumber: z.string().min(1).max(40).optional(),
  addressKey: z.string().min(1).max(300).optional(),
  userId: z.string().min(1).max(100),
  where: redeliveryLocationSchema,
  instructions: z.string().max(500).optional(),
});

export const DeliveryInstructionsSetV1 = defineEvent({
  type: 'DeliveryInstructionsSet',
  version: 1,
  topic: Topics.PostalRequests,
  schema,
  example: {
    scope: 'parcel',
    trackingNumber: '9212391234567812345670',
    userId: 'u_1',
    where: 'back_door',
    instructions: 'behind the planter',
  },
});

export type DeliveryInstructionsSetData = EventData<typeof DeliveryInstructionsSetV1>;
