import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  labelId: z.string(),
  trackingNumber: z.string(),
  userId: z.string(),
  /** refunded postage in US cents */
  priceCents: z.number().int().nonnegative(),
  /** ISO-8601 instant */
  refundedAt: z.string(),
});

export const LabelRefundedV1 = defineEvent({
  type: 'LabelRefunded',
  version: 1,
  topic: Topics.Pickup,
  schema,
  example: {
    labelId: '6650c0ffee0000000000a001',
    trackingNumber: '9470100123456000000017',
    userId: 'u_1',
    priceCents: 1065,
    refundedAt: '2025-05-02T15:00:00.000Z',
  },
});

export type LabelRefundedData = EventData<typeof LabelRefundedV1>;
