import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  confirmationNumber: z.string().min(1).max(40),
  trackingNumber: z.string().min(1).max(40),
  userId: z.string().min(1).max(100),
  /** the day it was booked for, `YYYY-MM-DD` */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

export const RedeliveryCancelledV1 = defineEvent({
  type: 'RedeliveryCancelled',
  version: 1,
  topic: Topics.PostalRequests,
  schema,
  example: {
    confirmationNumber: 'RD1A2B3C4D5E',
    trackingNumber: '9212391234567812345670',
    userId: 'u_1',
    date: '2025-05-08',
  },
});

export type RedeliveryCancelledData = EventData<typeof RedeliveryCancelledV1>;
