import { SCAN_CODE_DESCRIPTIONS } from '@app/contracts';
import { holdOf } from '../delivery/delivery-rules';
import type { ParcelState } from '../parcels/parcel-state';

export interface TrackingView {
  trackingNumber: string;
  status: string;
  statusCategory: string;
  expectedDelivery?: string;
  service?: string;
  destination?: { city: string; state: string; zip: string };
  /** ISO-8601: while the post office holds the parcel, when it goes back to the sender (its extension counted) */
  holdUntil?: string;
  events: {
    code: string;
    description: string;
    occurredAt: string;
    location: { city: string; state: string; zip: string };
    facility?: string;
  }[];
}

/** The public view of a parcel: no owner, watchers or street address. Events newest first. */
export function toTrackingView(parcel: ParcelState): TrackingView {
  const category = parcel.status ?? 'pre_shipment';
  const statusCode = parcel.statusCode ?? 'label_created';
  const hold = holdOf(parcel, parcel.holdExtensionDays ?? 0);
  return {
    trackingNumber: parcel._id,
    status: SCAN_CODE_DESCRIPTIONS[statusCode],
    statusCategory: category,
    ...(parcel.expectedDelivery ? { expectedDelivery: parcel.expectedDelivery } : {}),
    ...(parcel.service ? { service: parcel.service } : {}),
    ...(parcel.destination
      ? { destination: { city: parcel.destination.city, state: parcel.destination.state, zip: parcel.destination.zip } }
      : {}),
    ...(hold.held && hold.holdUntil ? { holdUntil: hold.holdUntil } : {}),
    events: parcel.events.map((e) => ({
      code: e.code,
      description: SCAN_CODE_DESCRIPTIONS[e.code],
      occurredAt: e.occurredAt,
      location: { city: e.facility.city, state: e.facility.state, zip: e.facility.zip },
      ...(e.facility.name ? { facility: e.facility.name } : {}),
    })),
  };
}
