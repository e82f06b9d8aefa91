import { z } from 'zod';

/** Where the carrier finds the packages. `other` needs instructions. */
export const PACKAGE_LOCATIONS = [
  'front_door',
  'back_door',
  'side_door',
  'knock_on_door',
  'mail_room',
  'office',
  'reception',
  'in_mailbox',
  'other',
] as const;

export type PackageLocation = (typeof PACKAGE_LOCATIONS)[number];

export const packageLocationSchema = z.enum(PACKAGE_LOCATIONS);

/** Package counts of a carrier pickup, by kind. */
export const PACKAGE_COUNT_KINDS = [
  'priorityExpress',
  'priority',
  'groundAdvantage',
  'returns',
  'international',
  'other',
] as const;

export type PackageCountKind = (typeof PACKAGE_COUNT_KINDS)[number];

export const packageCountsSchema = z.object({
  priorityExpress: z.number().int().nonnegative(),
  priority: z.number().int().nonnegative(),
  groundAdvantage: z.number().int().nonnegative(),
  returns: z.number().int().nonnegative(),
  international: z.number().int().nonnegative(),
  other: z.number().int().nonnegative(),
});

export type PackageCounts = z.infer<typeof packageCountsSchema>;

export const pickupContactSchema = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
});

/** Pickup statuses. */
export const PickupStatuses = {
  Scheduled: 'scheduled',
  Cancelled: 'cancelled',
  Completed: 'completed',
  Missed: 'missed',
} as const;

export type PickupStatus = (typeof PickupStatuses)[keyof typeof PickupStatuses];
