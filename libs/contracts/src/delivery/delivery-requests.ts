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

/** What the shipper may ask of a parcel still on its way. `redirect` needs the new address. */
export const INTERCEPT_ACTIONS = ['return_to_sender', 'redirect', 'hold_at_post_office'] as const;

export type InterceptAction = (typeof INTERCEPT_ACTIONS)[number];

export const interceptActionSchema = z.enum(INTERCEPT_ACTIONS);

/** An intercept is `requested` until the scans that follow show it `succeeded` or `failed`. */
export const InterceptStatuses = {
  Requested: 'requested',
  Succeeded: 'succeeded',
  Failed: 'failed',
} as const;

export type InterceptStatus = (typeof InterceptStatuses)[keyof typeof InterceptStatuses];

/** The actions on a parcel that `GET /parcels/:trackingNumber/options` reports on. */
export const ParcelActions = {
  Redelivery: 'redelivery',
  HoldExtension: 'holdExtension',
  Intercept: 'intercept',
  DeliveryInstructions: 'deliveryInstructions',
} as const;

export type ParcelAction = (typeof ParcelActions)[keyof typeof ParcelActions];

/**
 * Why an action of `GET /parcels/:trackingNumber/options` is not available now (`code` beside the `reason` in
 * words): stable for programs, whatever the language of `reason`.
 */
export const PARCEL_OPTION_CODES = [
  'not_recipient',
  'not_shipper',
  'no_attempt',
  'hold_ended',
  'redelivery_scheduled',
  'no_delivery_day',
  'already_extended',
  'not_available_for_pickup',
  'intercept_exists',
  'delivered',
  'returning_to_sender',
  'too_late',
] as const;

export type ParcelOptionCode = (typeof PARCEL_OPTION_CODES)[number];

/** What happens to the mail held for an address when its Hold Mail ends. */
export const HOLD_MAIL_DELIVERY = ['deliver_all_on_end', 'pickup_at_post_office'] as const;

export type HoldMailDelivery = (typeof HOLD_MAIL_DELIVERY)[number];

/** A Hold Mail lasts this many days, both ends counted. */
export const HOLD_MAIL_MIN_DAYS = 3;
export const HOLD_MAIL_MAX_DAYS = 30;
/** It may start at most this many days ahead. */
export const HOLD_MAIL_BOOKING_WINDOW_DAYS = 30;

export const HoldMailStatuses = {
  Scheduled: 'scheduled',
  Cancelled: 'cancelled',
} as const;
