import { z } from 'zod';
import { HOLD_EXTENSION_MAX_DAYS } from '../../delivery/delivery-requests';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  trackingNumber: z.string().min(1).max(40),
  /** the recipient who asked */
  userId: z.string().min(1).max(100),
  /** days added to the hold */
  days: z.number().int().min(1).max(HOLD_EXTENSION_MAX_DAYS),
  /** ISO-8601 instant: the parcel goes back to the sender after this */
  holdUntil: z.string(),
  /** ISO-8601 instant the hold ended before the extension */
  previousHoldUntil: z.string(),
});

export const HoldExtendedV1 = defineEvent({
  type: 'HoldExtended',
  version: 1,
  topic: Topics.PostalRequests,
  schema,
  example: {
    trackingNumber: '9212391234567812345670',
    userId: 'u_1',
    days: 15,
    holdUntil: '2025-06-02T09:30:00.000Z',
    previousHoldUntil: '2025-05-18T09:30:00.000Z',
  },
});

export type HoldExtendedData = EventData<typeof HoldExtendedV1>;
