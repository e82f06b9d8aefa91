import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type {
  EventEnvelope,
  HoldMailDelivery,
  InterceptAction,
  PostalAddress,
  RedeliveryLocation,
  RequestContact,
} from '@app/contracts';
import { outboxPlugin } from '@app/messaging';

export const DELIVERY_REQUEST_MODEL = 'DeliveryRequest';
export const PARCEL_CLAIM_MODEL = 'ParcelClaim';

export const DeliveryRequestKinds = {
  Redelivery: 'redelivery',
  HoldExtension: 'hold_extension',
  Intercept: 'intercept',
  /** a parcel's own instructions (`instructions:<trackingNumber>`) */
  Instructions: 'delivery_instructions',
  /** a verified address's default (`address-instructions:<userId>:<addressId>`) */
  AddressInstructions: 'address_instructions',
  HoldMail: 'hold_mail',
  /** an outcome notified once (`outcome:<requestId>:<outcome>`), its event in the outbox */
  Outcome: 'request_outcome',
  /** the reminder two days before a hold ends (`hold-reminder:<trackingNumber>:<holdUntil>`) */
  HoldReminder: 'hold_reminder',
} as const;

export type DeliveryRequestKind = (typeof DeliveryRequestKinds)[keyof typeof DeliveryRequestKinds];

/**
 * A customer's request about a parcel, with the events it causes in its outbox (one write).
 * `_id`: a redelivery's confirmation number; `hold-extension:<trackingNumber>` for the one hold
 * extension of a parcel (its unique `_id` is what makes it once per parcel).
 */
@Schema({ collection: 'delivery_requests', versionKey: false, minimize: false })
export class DeliveryRequest {
  @Prop({ type: String })
  _id: string;

  @Prop({ type: String, required: true })
  kind: DeliveryRequestKind;

  @Prop({ type: String, required: true })
  userId: string;

  /** absent for an address's default instructions */
  @Prop({ type: String })
  trackingNumber: string;

  @Prop({ type: String, required: true })
  status: string;

  /** redelivery: the day, `YYYY-MM-DD` (Central calendar) */
  @Prop({ type: String })
  date?: string;

  @Prop({ type: String })
  where?: RedeliveryLocation;

  @Prop({ type: String })
  instructions?: string;

  @Prop({ type: Object })
  contact?: RequestContact;

  /** hold extension: the days added and the hold's end before and after */
  @Prop({ type: Number })
  days?: number;

  @Prop({ type: String })
  holdUntil?: string;

  @Prop({ type: String })
  previousHoldUntil?: string;

  /** intercept: what the shipper asked, and the new destination of a redirect */
  @Prop({ type: String })
  action?: InterceptAction;

  @Prop({ type: Object })
  address?: PostalAddress;

  /** address instructions: the verified address and its key */
  @Prop({ type: String })
  addressId?: string;

  @Prop({ type: String })
  addressKey?: string;

  /** Hold Mail: first and last day held, and what happens at the end */
  @Prop({ type: String })
  startDate?: string;

  @Prop({ type: String })
  endDate?: string;

  @Prop({ type: String })
  delivery?: HoldMailDelivery;

  /** intercept (`succeeded`/`failed`) and redelivery (`confirmed`/`delivered`/`failed`): the last outcome notified */
  @Prop({ type: String })
  outcome?: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;

  outbox: EventEnvelope[];
}

export const DeliveryRequestSchema = SchemaFactory.createForClass(DeliveryRequest);
DeliveryRequestSchema.plugin(outboxPlugin);
/** The owner's list, newest first. */
DeliveryRequestSchema.index({ userId: 1, createdAt: -1, _id: -1 });

/**
 * The one active request of a kind on a parcel (`_id` = `<kind>:<trackingNumber>`): inserting a
 * unique `_id` is atomic on FerretDB and MongoDB alike, so two concurrent bookings get one winner.
 */
@Schema({ collection: 'parcel_claims', versionKey: false })
export class ParcelClaim {
  @Prop({ type: String })
  _id: string;

  @Prop({ type: String, required: true })
  requestId: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;
}

export const ParcelClaimSchema = SchemaFactory.createForClass(ParcelClaim);
