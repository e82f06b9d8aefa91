import { z } from 'zod';
import { HOLD_MAIL_DELIVERY } from '../../delivery/delivery-requests';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A Hold Mail as booked or changed: keyed by the address key, so an address's holds stay in order. */
const details = z.object({
  confirmationNumber: z.string().min(1).max(40),
  userId: z.string().min(1).max(100),
  /** `ZIP5|LINE1[|UNIT]` of the verified address */
  addressKey: z.string().min(1).max(300),
  /** the verified address itself, for the delivery unit */
  address: z.object({
    line1: z.string(),
    line2: z.string().optional(),
    zip: z.string(),
  }),
  /** first and last day held, `YYYY-MM-DD` (Central calendar) */
  startDate: z.string().regex(DATE),
  endDate: z.string().regex(DATE),
  delivery: z.enum(HOLD_MAIL_DELIVERY),
});

const example = {
  confirmationNumber: 'HM1A2B3C4D5E',
  userId: 'u_1',
  addressKey: '80202|12 OAK ST|#2',
  address: { line1: '12 OAK ST', line2: '#2', zip: '80202' },
  startDate: '2025-05-08',
  endDate: '2025-05-15',
  delivery: 'deliver_all_on_end' as const,
};

export const HoldMailRequestedV1 = defineEvent({
  type: 'HoldMailRequested',
  version: 1,
  topic: Topics.PostalRequests,
  schema: details,
  example,
});

export const HoldMailChangedV1 = defineEvent({
  type: 'HoldMailChanged',
  version: 1,
  topic: Topics.PostalRequests,
  schema: details,
  example: { ...example, endDate: '2025-05-20' },
});

export const HoldMailCancelledV1 = defineEvent({
  type: 'HoldMailCancelled',
  version: 1,
  topic: Topics.PostalRequests,
  schema: details,
  example,
});

export type HoldMailData = EventData<typeof HoldMailRequestedV1>;
