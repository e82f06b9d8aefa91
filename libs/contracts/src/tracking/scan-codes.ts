import { SCANS_EN } from '../i18n/scans/en';
/** Status categories of a parcel, in API.md's vocabulary. */
export const StatusCategories = {
  PreShipment: 'pre_shipment',
  Accepted: 'accepted',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AvailableForPickup: 'available_for_pickup',
  Delivered: 'delivered',
  Alert: 'alert',
} as const;

export type StatusCategory = (typeof StatusCategories)[keyof typeof StatusCategories];

export const STATUS_CATEGORIES = Object.values(StatusCategories) as [StatusCategory, ...StatusCategory[]];

/** Codes internal postal systems may send on `postal.scans` / `POST /scans`. */
export const ScanCodes = {
  Accepted: 'accepted',
  PickedUp: 'picked_up',
  Processed: 'processed',
  ArrivedAtFacility: 'arrived_at_facility',
  DepartedFacility: 'departed_facility',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AvailableForPickup: 'available_for_pickup',
  Delivered: 'delivered',
  DeliveryAttempted: 'delivery_attempted',
  ReturnedToSender: 'returned_to_sender',
  Exception: 'exception',
  /** The answers to customers' delivery requests (postal.requests). */
  RedeliveryScheduled: 'redelivery_scheduled',
  Intercepted: 'intercepted',
  Redirected: 'redirected',
  HeldAtPostOffice: 'held_at_post_office',
} as const;

export type ScanCode = (typeof ScanCodes)[keyof typeof ScanCodes];

export const SCAN_CODES = Object.values(ScanCodes) as [ScanCode, ...ScanCode[]];

/** The pseudo-event a parcel's history starts with when a label is created (not a scan code). */
export const LABEL_CREATED_CODE = 'label_created';

/** Any code found in a parcel's history. */
export type TrackingEventCode = ScanCode | typeof LABEL_CREATED_CODE;

export const SCAN_CODE_CATEGORY: Readonly<Record<TrackingEventCode, StatusCategory>> = {
  label_created: 'pre_shipment',
  accepted: 'accepted',
  picked_up: 'accepted',
  processed: 'in_transit',
  arrived_at_facility: 'in_transit',
  departed_facility: 'in_transit',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  available_for_pickup: 'available_for_pickup',
  delivered: 'delivered',
  delivery_attempted: 'alert',
  returned_to_sender: 'alert',
  exception: 'alert',
  // The parcel leaves the post office again on the booked day.
  redelivery_scheduled: 'in_transit',
  // Stopped on the shipper's request: it will not be delivered as addressed.
  intercepted: 'alert',
  redirected: 'in_transit',
  // Kept at the post office (an intercept or Hold Mail): the recipient collects it there.
  held_at_post_office: 'available_for_pickup',
};

/** Human descriptions shown by the tracking lookup and used in notifications (English; es and zh-Hans beside it). */
export const SCAN_CODE_DESCRIPTIONS: Readonly<Record<TrackingEventCode, string>> = SCANS_EN;

export const STATUS_CATEGORY_DESCRIPTIONS: Readonly<Record<StatusCategory, string>> = {
  pre_shipment: 'Label created, not yet in the system',
  accepted: 'Accepted',
  in_transit: 'In transit',
  out_for_delivery: 'Out for delivery',
  available_for_pickup: 'Available for pickup',
  delivered: 'Delivered',
  alert: 'Alert',
};

export function isScanCode(code: string): code is ScanCode {
  return (SCAN_CODES as readonly string[]).includes(code);
}

/** Days a parcel is held at the post office after an `available_for_pickup` scan. */
export const PICKUP_HOLD_DAYS = 15;
