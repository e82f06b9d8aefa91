import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';
import { trackingNumberSchema } from '../../tracking/tracking-schemas';

const schema = z.object({
  /** the SCAN form's 22-digit number (channel 92, service type 750): the barcode its acceptance scan carries */
  manifestId: trackingNumberSchema,
  /** the account the manifest and its labels belong to */
  userId: z.string(),
  /** the labels on the form, in the form's order */
  trackingNumbers: z.array(trackingNumberSchema).min(1),
  /** the pickup/mailing date, `YYYY-MM-DD` */
  date: z.string(),
  /** ISO-8601 instant */
  createdAt: z.string().datetime({ offset: true }),
});

/**
 * A SCAN form was created (issue 18): tracking keeps which labels a manifest number stands for, so
 * the manifest's one acceptance scan shows on each label's own tracking.
 */
export const ManifestCreatedV1 = defineEvent({
  type: 'ManifestCreated',
  version: 1,
  topic: Topics.Pickup,
  schema,
  example: {
    manifestId: '9275012345600000000017',
    userId: 'u_1',
    trackingNumbers: ['9470100123456000000017'],
    date: '2025-05-02',
    createdAt: '2025-05-01T15:00:00.000Z',
  },
});

export type ManifestCreatedData = EventData<typeof ManifestCreatedV1>;
