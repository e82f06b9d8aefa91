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
  type EventEnvelope,
  type LabelCreatedData,
  type LabelRefundedData,
  type ParcelArrivedData,
  type ParcelDeliveredData,
  type ParcelRecipient,
  type ParcelStatusChangedData,
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

function pickupEvent(type: WebhookEventType, data: { confirmationNumber: string; userId: string }): WebhookEvent {
  const { userId, ...rest } = data;
  return { type, data: rest, orderKey: `pickup:${data.confirmationNumber}`, owners: [userId] };
}

const MAP: Record<string, (data: unknown) => WebhookEvent> = {
  [ParcelStatusChangedV1.type]: (d) => {
    const data = d as ParcelStatusChangedData;
    return {
      type: WebhookEventTypes.TrackingUpdated,
      data: withoutRecipients(data),
      orderKey: `parcel:${data.trackingNumber}`,
      owners: addressees(data.recipients),
      trackingNumber: data.trackingNumber,
    };
  },
  [ParcelArrivedV1.type]: (d) => {
    const data = d as ParcelArrivedData;
    return {
      type: WebhookEventTypes.ParcelAvailableForPickup,
      data: withoutRecipients(data),
      orderKey: `parcel:${data.trackingNumber}`,
      owners: addressees(data.recipients),
      trackingNumber: data.trackingNumber,
    };
  },
  [ParcelDeliveredV1.type]: (d) => {
    const data = d as ParcelDeliveredData;
    return {
      type: WebhookEventTypes.ParcelDelivered,
      data: withoutRecipients(data),
      orderKey: `parcel:${data.trackingNumber}`,
      owners: addressees(data.recipients),
      trackingNumber: data.trackingNumber,
    };
  },
  [LabelCreatedV1.type]: (d) => {
    const { userId, ...data } = d as LabelCreatedData;
    return {
      type: WebhookEventTypes.LabelCreated,
      data,
      orderKey: `parcel:${data.trackingNumber}`,
      owners: [userId],
    };
  },
  [LabelRefundedV1.type]: (d) => {
    const { userId, ...data } = d as LabelRefundedData;
    return {
      type: WebhookEventTypes.LabelRefunded,
      data,
      orderKey: `parcel:${data.trackingNumber}`,
      owners: [userId],
    };
  },
  [PickupScheduledV1.type]: (d) => pickupEvent(WebhookEventTypes.PickupScheduled, d as PickupScheduledPayload),
  [PickupUpdatedV1.type]: (d) => pickupEvent(WebhookEventTypes.PickupUpdated, d as PickupScheduledPayload),
  [PickupCancelledV1.type]: (d) => pickupEvent(WebhookEventTypes.PickupCancelled, d as PickupScheduledPayload),
  [PickupCompletedV1.type]: (d) => pickupEvent(WebhookEventTypes.PickupCompleted, d as PickupScheduledPayload),
  [PickupMissedV1.type]: (d) => pickupEvent(WebhookEventTypes.PickupMissed, d as PickupScheduledPayload),
};

interface PickupScheduledPayload {
  confirmationNumber: string;
  userId: string;
}

/** The webhook event of a validated Kafka event, or undefined for events no webhook carries. */
export function webhookEventOf(envelope: EventEnvelope): WebhookEvent | undefined {
  const map = MAP[envelope.type];
  if (!map || envelope.version !== 1) return undefined;
  return map(envelope.data);
}
