import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/** What the scans after a redelivery booking say of it. */
export const REDELIVERY_OUTCOMES = ['confirmed', 'delivered', 'failed'] as const;
export type RedeliveryOutcome = (typeof REDELIVERY_OUTCOMES)[number];

const schema = z.object({
  confirmationNumber: z.string().min(1).max(40),
  trackingNumber: z.string().min(1).max(40),
  /** the recipient who booked it */
  userId: z.string().min(1).max(100),
  /** the booked day, `YYYY-MM-DD` */
  date: z.string().max(10),
  /** `confirmed`: a `redelivery_scheduled` scan; `delivered`; `failed`: another delivery attempt */
  outcome: z.enum(REDELIVERY_OUTCOMES),
  /** ISO-8601: the scan that said so */
  occurredAt: z.string().max(40),
});

/** A redelivery's progress from the scans after it (tracking), once per outcome; the booker gets a notice. */
export const RedeliveryOutcomeV1 = defineEvent({
  type: 'RedeliveryOutcome',
  version: 1,
  topic: Topics.PostalRequests,
  schema,
  example: {
    confirmationNumber: 'RD1A2B3C4D5E',
    trackingNumber: '9212391234567812345670',
    userId: 'u_1',
    date: '2025-05-08',
    outcome: 'delivered',
    occurredAt: '2025-05-08T15:00:00.000Z',
  },
});

export type RedeliveryOutcomeData = EventData<typeof RedeliveryOutcomeV1>;
