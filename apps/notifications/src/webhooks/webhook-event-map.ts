import {
  LabelCreatedV1,
  LabelRefundedV1,
  ParcelArrivedV1,
  ParcelDeliveredV1,
  ParcelStatusChangedV1,
  PickupCancelledV1,
  PickupCompletedV1,
  PickupMissedV1,
  PickupScheduledV1,
  PickupUpdatedV1,
  WebhookEventTypes,
  EventHandlers,
  type EventEnvelope,
  type ParcelRecipient,
  type WebhookEventType,
} from '@app/contracts';

/** What an event becomes for webhooks, before the owners' endpoints are looked up. */
export interface WebhookEvent {
  type: WebhookEventType;
  /** the payload's `data`: the customer's view of the event (no internal user ids) */
  data: Record<string, unknown>;
  /** deliveries with one key reach an endpoint in order: a parcel's tracking number, a pickup's number */
  orderKey: string;
  /** accounts the event is about, directly (label and pickup owners, a parcel's addressees) */
  owners: string[];
  /** a parcel event: its shipper (the label's creator, from LabelCreated) is an owner too */
  trackingNumber?: string;
}

/** A parcel's addressees (verified address). Watchers are not owners: anyone may watch any parcel. */
function addressees(recipients: ParcelRecipient[]): string[] {
  return [...new Set(recipients.filter((r) => r.reason === 'addressee').map((r) => r.userId))];
}

function withoutRecipients<T extends { recipients: ParcelRecipient[] }>(data: T): Omit<T, 'recipients'> {
  const { recipients: _recipients, ...rest } = data;
  return rest;
}

/** A parcel's event: ordered by its tracking number, owned by its addressees (and its shipper, looked up later). */
function parcelEvent(
  type: WebhookEventType,
  data: { trackingNumber: string; recipients: ParcelRecipient[] },
): WebhookEvent {
  return {
    type,
    data: withoutRecipients(data),
    orderKey: `parcel:${data.trackingNumber}`,
    owners: addressees(data.recipients),
    trackingNumber: data.trackingNumber,
  };
}

/** A label's event: ordered with its parcel's, owned by its buyer. */
function labelEvent(type: WebhookEventType, data: { trackingNumber: string; userId: string }): WebhookEvent {
  const { userId, ...rest } = data;
  return { type, data: rest, orderKey: `parcel:${data.trackingNumber}`, owners: [userId] };
}

function pickupEvent(type: WebhookEventType, data: { confirmationNumber: string; userId: string }): WebhookEvent {
  const { userId, ...rest } = data;
  return { type, data: rest, orderKey: `pickup:${data.confirmationNumber}`, owners: [userId] };
}

/** Each contract webhooks carry, typed by its schema (the envelope was validated on the way in). */
const EVENTS = new EventHandlers<WebhookEvent>()
  .on(ParcelStatusChangedV1, (data) => parcelEvent(WebhookEventTypes.TrackingUpdated, data))
  .on(ParcelArrivedV1, (data) => parcelEvent(WebhookEventTypes.ParcelAvailableForPickup, data))
  .on(ParcelDeliveredV1, (data) => parcelEvent(WebhookEventTypes.ParcelDelivered, data))
  .on(LabelCreatedV1, (data) => labelEvent(WebhookEventTypes.LabelCreated, data))
  .on(LabelRefundedV1, (data) => labelEvent(WebhookEventTypes.LabelRefunded, data))
  .on(PickupScheduledV1, (data) => pickupEvent(WebhookEventTypes.PickupScheduled, data))
  .on(PickupUpdatedV1, (data) => pickupEvent(WebhookEventTypes.PickupUpdated, data))
  .on(PickupCancelledV1, (data) => pickupEvent(WebhookEventTypes.PickupCancelled, data))
  .on(PickupCompletedV1, (data) => pickupEvent(WebhookEventTypes.PickupCompleted, data))
  .on(PickupMissedV1, (data) => pickupEvent(WebhookEventTypes.PickupMissed, data));

/** The webhook event of a validated Kafka event, or undefined for events no webhook carries. */
export function webhookEventOf(envelope: EventEnvelope): WebhookEvent | undefined {
  return EVENTS.dispatch(envelope);
}
