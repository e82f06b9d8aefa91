import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';
import { postalAddressSchema } from '../../shipping/postal-address';

const schema = z.object({
  orderId: z.string(),
  userId: z.string(),
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      quantity: z.number().int().positive(),
      /** unit price in US cents */
      priceCents: z.number().int().nonnegative(),
    }),
  ),
  totalCents: z.number().int().nonnegative(),
  shippingAddress: postalAddressSchema,
});

export const OrderPlacedV1 = defineEvent({
  type: 'OrderPlaced',
  version: 1,
  topic: Topics.Pickup,
  schema,
  example: {
    orderId: '6650c0ffee0000000000b001',
    userId: 'u_1',
    items: [{ sku: 'FOREVER-SHEET-20', name: 'Forever stamps, sheet of 20', quantity: 2, priceCents: 1460 }],
    totalCents: 2920,
    shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Chicago', state: 'IL', zip: '60601' },
  },
});

export type OrderPlacedData = EventData<typeof OrderPlacedV1>;
