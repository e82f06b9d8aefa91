import type { TrackingEventCode } from '../../tracking/scan-codes';

/** English descriptions of the scan codes, for the API's notices and the web portal alike. */
export const SCANS_EN: Readonly<Record<TrackingEventCode, string>> = {
  label_created: 'Shipping label created, awaiting item',
  accepted: 'Accepted at the post office',
  picked_up: 'Picked up by the carrier',
  processed: 'Processed through a facility',
  arrived_at_facility: 'Arrived at a facility',
  departed_facility: 'Departed a facility',
  in_transit: 'In transit to the next facility',
  out_for_delivery: 'Out for delivery',
  available_for_pickup: 'Arrived at the post office, available for pickup',
  delivered: 'Delivered',
  delivery_attempted: 'Delivery attempted, notice left',
  returned_to_sender: 'Returned to sender',
  exception: 'Delivery exception',
  redelivery_scheduled: 'Redelivery scheduled',
  intercepted: 'Intercepted at the request of the shipper',
  redirected: 'Redirected to a new address at the request of the shipper',
  held_at_post_office: 'Held at the post office at the customer’s request',
};
