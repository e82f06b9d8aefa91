import { z } from 'zod';
import { packageCountsSchema, packageLocationSchema, pickupContactSchema } from '../../shipping/pickup-options';
import { postalAddressSchema } from '../../shipping/postal-address';

/** The fields shared by PickupScheduled and PickupUpdated. */
export const pickupDetailsSchema = z.object({
  /** e.g. `WTC123456789` */
  confirmationNumber: z.string(),
  userId: z.string(),
  /** For an organisation's label or pickup (`userId` is `org:<id>`): the member who acted; absent otherwise and in older events */
  actedBy: z.string().optional(),
  /** `YYYY-MM-DD`, a delivery day in America/Chicago */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  address: postalAddressSchema,
  packageLocation: packageLocationSchema,
  packages: packageCountsSchema,
  estimatedWeightLb: z.number().nonnegative(),
  instructions: z.string().optional(),
  /** A dog is at the address (so a message can ask to keep it inside); absent in older events. */
  dogPresent: z.boolean().optional(),
  contact: pickupContactSchema,
});

export const pickupDetailsExample: z.infer<typeof pickupDetailsSchema> = {
  confirmationNumber: 'WTC100000001',
  userId: 'u_1',
  date: '2025-05-06',
  address: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Chicago', state: 'IL', zip: '60601' },
  packageLocation: 'front_door',
  packages: { priorityExpress: 0, priority: 2, groundAdvantage: 1, returns: 0, international: 0, other: 0 },
  estimatedWeightLb: 6,
  dogPresent: false,
  contact: { email: 'ada@example.com' },
};

/** The fields shared by PickupCancelled, PickupMissed and PickupCompleted: which pickup, whose, on which day. */
export const pickupDaySchema = z.object({
  confirmationNumber: z.string(),
  userId: z.string(),
  /** For an organisation's label or pickup (`userId` is `org:<id>`): the member who acted; absent otherwise and in older events */
  actedBy: z.string().optional(),
  /** `YYYY-MM-DD` */
  date: z.string(),
});

export const pickupDayExample: z.infer<typeof pickupDaySchema> = {
  confirmationNumber: 'WTC100000001',
  userId: 'u_1',
  date: '2025-05-06',
};
