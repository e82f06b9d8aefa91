import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  userId: z.string(),
  /** what happened to the account's saved cards (a security-relevant change: the account is emailed) */
  change: z.enum(['added', 'removed']),
  /** the card as the portal shows it: brand and last 4 digits only */
  brand: z.string(),
  last4: z.string().regex(/^\d{4}$/),
  /** ISO-8601 instant */
  occurredAt: z.string(),
});

export const SavedCardChangedV1 = defineEvent({
  type: 'SavedCardChanged',
  version: 1,
  topic: Topics.Pickup,
  schema,
  example: {
    userId: 'u_1',
    change: 'added',
    brand: 'visa',
    last4: '4242',
    occurredAt: '2025-05-02T15:00:00.000Z',
  },
});

export type SavedCardChangedData = EventData<typeof SavedCardChangedV1>;
