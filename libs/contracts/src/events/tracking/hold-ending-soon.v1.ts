import { z } from 'zod';
import { Topics } from '../../topics';
import { parcelRecipientSchema } from '../../tracking/tracking-schemas';
import { defineEvent, type EventData } from '../event-definition';

/** A held parcel not collected: it goes back to the sender at `holdUntil` (sent once, two days before). */
const schema = z.object({
  trackingNumber: z.string().min(1),
  /** ISO-8601 instant the hold ends */
  holdUntil: z.string(),
  recipients: z.array(parcelRecipientSchema),
});

export const HoldEndingSoonV1 = defineEvent({
  type: 'HoldEndingSoon',
  version: 1,
  topic: Topics.Tracking,
  schema,
  example: {
    trackingNumber: '9212391234567812345670',
    holdUntil: '2025-05-18T09:30:00.000Z',
    recipients: [{ userId: 'u_2', reason: 'addressee' }],
  },
});

export type HoldEndingSoonData = EventData<typeof HoldEndingSoonV1>;
