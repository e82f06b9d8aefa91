import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const EndpointStatuses = ['enabled', 'disabled'] as const;
export type EndpointStatus = (typeof EndpointStatuses)[number];

/** One signing secret; the current one has no expiry, a rotated-out one signs until `expiresAt`. */
export class EndpointSecret {
  secret: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** A customer's webhook endpoint. */
@Schema({ collection: 'webhook_endpoints', versionKey: false })
export class WebhookEndpointRecord {
  @Prop({ type: String, required: true })
  _id: string;

  /** the account that owns it (see webhookOwnerOf) */
  @Prop({ type: String, required: true })
  ownerId: string;

  /** the person who registered it, told when it is disabled (an organisation's owner key has no mailbox) */
  @Prop({ type: String })
  createdBy?: string;

  @Prop({ type: String, required: true })
  url: string;

  @Prop({ type: String, default: '' })
  description: string;

  @Prop({ type: [String], required: true })
  eventTypes: string[];

  /** newest first; kept in the document only (never in a log or an event) */
  @Prop({
    type: [
      {
        _id: false,
        secret: { type: String, required: true },
        createdAt: { type: Date, required: true },
        expiresAt: { type: Date, default: null },
      },
    ],
    required: true,
  })
  secrets: EndpointSecret[];

  @Prop({ type: String, required: true, enum: EndpointStatuses })
  status: EndpointStatus;

  @Prop({ type: String, default: null })
  disabledReason: string | null;

  /** the first failed attempt since the last success; null while deliveries succeed */
  @Prop({ type: Date, default: null })
  failingSince: Date | null;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;
}

export const WebhookEndpointSchema = SchemaFactory.createForClass(WebhookEndpointRecord);

/**
 * The endpoint ids of one owner, keyed by the owner: the fan-out of an event reads it by `_id`
 * (FerretDB uses an index for nothing else), and most owners have no document at all.
 */
@Schema({ collection: 'webhook_owners', versionKey: false })
export class WebhookOwnerRecord {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: [String], default: [] })
  endpointIds: string[];
}

export const WebhookOwnerSchema = SchemaFactory.createForClass(WebhookOwnerRecord);

/** Who shipped a parcel (from LabelCreated), so its tracking events reach the shipper's endpoints. */
@Schema({ collection: 'webhook_parcel_shippers', versionKey: false })
export class ParcelShipperRecord {
  /** the tracking number */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  ownerId: string;
}

export const ParcelShipperSchema = SchemaFactory.createForClass(ParcelShipperRecord);

export const DeliveryStatuses = ['pending', 'retrying', 'succeeded', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DeliveryStatuses)[number];

/** One attempt of a delivery, as the delivery log shows it. */
export class DeliveryAttempt {
  at: Date;
  /** the receiver's HTTP status, or null when there was no answer */
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** sent by a redelivery by hand */
  manual: boolean;
}

/** Redeliveries by hand of one delivery (which keeps every attempt in its document). */
export const MAX_REDELIVERIES = 20;

/** One event for one endpoint: the payload exactly as signed, and every attempt to send it. */
@Schema({ collection: 'webhook_deliveries', versionKey: false })
export class WebhookDeliveryRecord {
  /** `msg_…`: the `webhook-id` header, the same on every attempt (receivers deduplicate by it) */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  endpointId: string;

  @Prop({ type: String, required: true })
  ownerId: string;

  @Prop({ type: String, required: true })
  eventType: string;

  /** the id of the Kafka event it came from */
  @Prop({ type: String, required: true })
  sourceEventId: string;

  @Prop({ type: String, required: true })
  payload: string;

  /** deliveries with one key go to an endpoint in order (a parcel's tracking number, a pickup's number) */
  @Prop({ type: String, default: null })
  orderKey: string | null;

  @Prop({ type: String, required: true, enum: DeliveryStatuses })
  status: DeliveryStatus;

  @Prop({
    type: [
      {
        _id: false,
        at: { type: Date, required: true },
        statusCode: { type: Number, default: null },
        latencyMs: { type: Number, required: true },
        error: { type: String, default: null },
        manual: { type: Boolean, default: false },
      },
    ],
    default: [],
  })
  attempts: DeliveryAttempt[];

  @Prop({ type: Date, default: null })
  nextAttemptAt: Date | null;

  /** redeliveries by hand so far (each gets its own job id) */
  @Prop({ type: Number, default: 0 })
  redeliveries: number;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;
}

export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDeliveryRecord);
