import { z } from 'zod';
import { redeliveryLocationSchema, requestContactSchema } from '../../delivery/delivery-requests';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/** The redelivery as booked or changed: everything the delivery unit needs for that day. */
export const redeliveryDetailsSchema = z.object({
  confirmationNumber: z.string().min(1).max(40),
  trackingNumber: z.string().min(1).max(40),
  /** the recipient who asked */
  userId: z.string().min(1).max(100),
  /** `YYYY-MM-DD`, a delivery day (America/Chicago calendar) */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  where: redeliveryLocationSchema,
  instructions: z.string().max(500).optional(),
  contact: requestContactSchema,
});

export const RedeliveryRequestedV1 = defineEvent({
  type: 'RedeliveryRequested',
  version: 1,
  topic: Topics.PostalRequests,
  schema: redeliveryDetailsSchema,
  example: {
    confirmationNumber: 'RD1A2B3C4D5E',
    trackingNumber: '9212391234567812345670',
    userId: 'u_1',
    date: '2025-05-08',
    where: 'side_door',
    instructions: 'gate code 1234',
    contact: { email: 'ada@example.com' },
  },
});

export type RedeliveryRequestedData = EventData<typeof RedeliveryRequestedV1>;
