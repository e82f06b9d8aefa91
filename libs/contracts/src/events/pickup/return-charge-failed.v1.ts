import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/**
 * The charge of a prepaid return label, made at its first acceptance scan (or when the shipper paid
 * it again), was refused. The parcel travels on; the shipper is emailed to pay it
 * (`POST /labels/:id/return-charge`).
 */
export const ReturnChargeFailedV1 = defineEvent({
  type: 'ReturnChargeFailed',
  version: 1,
  topic: Topics.Pickup,
  schema: z.object({
    labelId: z.string(),
    trackingNumber: z.string(),
    /** the owner key (a person, or `org:<id>`) */
    userId: z.string(),
    /** for an organisation's label: the member who made the return label */
    actedBy: z.string().optional(),
    /** the amount owed, US cents */
    priceCents: z.number().int().nonnegative(),
    /** why the payment was refused (card declined, balance short…) */
    reason: z.string(),
    failedAt: z.string().datetime({ offset: true }),
  }),
  example: {
    labelId: '6650c0ffee0000000000a002',
    trackingNumber: '9470100123456000000024',
    userId: 'u_1',
    priceCents: 1065,
    reason: 'card declined: card_declined (insufficient_funds)',
    failedAt: '2025-05-03T09:30:00.000Z',
  },
});
export type ReturnChargeFailedData = EventData<typeof ReturnChargeFailedV1>;
