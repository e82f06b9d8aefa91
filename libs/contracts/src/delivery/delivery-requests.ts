import { z } from 'zod';

/** Where the carrier leaves a redelivered parcel. `other` needs instructions. */
export const REDELIVERY_LOCATIONS = [
  'front_door',
  'back_door',
  'side_door',
  'mailbox',
  'with_neighbor',
  'other',
] as const;

export type RedeliveryLocation = (typeof REDELIVERY_LOCATIONS)[number];

export const redeliveryLocationSchema = z.enum(REDELIVERY_LOCATIONS);

/** A redelivery may be booked for one of the next this many delivery days (never today). */
export const REDELIVERY_WINDOW_DELIVERY_DAYS = 10;

/** A held parcel's hold may be extended once, by at most this many days. */
export const HOLD_EXTENSION_MAX_DAYS = 15;

/** Redelivery statuses. */
export const RedeliveryStatuses = {
  Scheduled: 'scheduled',
  Cancelled: 'cancelled',
} as const;

export type RedeliveryStatus = (typeof RedeliveryStatuses)[keyof typeof RedeliveryStatuses];

/** Who the carrier may contact about a request: an email, a phone, or both. */
export const requestContactSchema = z.object({
  email: z.string().max(254).optional(),
  phone: z.string().max(20).optional(),
});

export type RequestContact = z.infer<typeof requestContactSchema>;

/** The actions on a parcel that `GET /parcels/:trackingNumber/options` reports on. */
export const ParcelActions = {
  Redelivery: 'redelivery',
  HoldExtension: 'holdExtension',
} as const;

export type ParcelAction = (typeof ParcelActions)[keyof typeof ParcelActions];
