import { z } from 'zod';
import { interceptActionSchema } from '../../delivery/delivery-requests';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  interceptId: z.string().min(1).max(40),
  trackingNumber: z.string().min(1).max(40),
  /** the shipper who asked */
  userId: z.string().min(1).max(100),
  action: interceptActionSchema,
  /** `succeeded`: a scan carried it out; `failed`: the parcel was delivered first */
  status: z.enum(['succeeded', 'failed']),
  reason: z.string().max(300).optional(),
  /** ISO-8601: the scan that decided it */
  occurredAt: z.string().max(40),
});

/** An intercept's outcome, decided by the scans after it (tracking); the shipper gets a notice. */
export const InterceptResolvedV1 = defineEvent({
  type: 'InterceptResolved',
  version: 1,
  topic: Topics.PostalRequests,
  schema,
  example: {
    interceptId: 'IC1A2B3C4D5E',
    trackingNumber: '9212391234567812345670',
    userId: 'u_1',
    action: 'return_to_sender',
    status: 'succeeded',
    occurredAt: '2025-05-07T14:00:00.000Z',
  },
});

export type InterceptResolvedData = EventData<typeof InterceptResolvedV1>;
