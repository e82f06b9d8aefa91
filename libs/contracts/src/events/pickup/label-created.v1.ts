import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';
import { postalAddressSchema } from '../../shipping/postal-address';
import { shippingServiceSchema } from '../../shipping/shipping-services';
import { trackingNumberSchema } from '../../tracking/tracking-schemas';

const schema = z.object({
  labelId: z.string(),
  /** 22-digit IMpb package identification code; normalised by the schema */
  trackingNumber: trackingNumberSchema,
  userId: z.string(),
  /** For an organisation's label or pickup (`userId` is `org:<id>`): the member who acted; absent otherwise and in older events */
  actedBy: z.string().optional(),
  service: shippingServiceSchema,
  /** postage in US cents */
  priceCents: z.number().int().nonnegative(),
  /** USPS zone 1–9 */
  zone: z.number().int().min(1).max(9),
  deliveryDays: z.number().int().positive(),
  from: postalAddressSchema,
  to: postalAddressSchema,
  /** ISO-8601 instant */
  createdAt: z.string().datetime({ offset: true }),
  /** On a prepaid return label: the outbound label it returns; nothing is paid until its first acceptance scan */
  returnOf: z.string().optional(),
});

export const LabelCreatedV1 = defineEvent({
  type: 'LabelCreated',
  version: 1,
  topic: Topics.Pickup,
  schema,
  example: {
    labelId: '6650c0ffee0000000000a001',
    trackingNumber: '9470100123456000000017',
    userId: 'u_1',
    service: 'priority',
    priceCents: 1065,
    zone: 5,
    deliveryDays: 3,
    from: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Chicago', state: 'IL', zip: '60601' },
    to: { name: 'Alan Turing', line1: '2 Elm St', city: 'Denver', state: 'CO', zip: '80202' },
    createdAt: '2025-05-01T15:00:00.000Z',
  },
});

export type LabelCreatedData = EventData<typeof LabelCreatedV1>;
