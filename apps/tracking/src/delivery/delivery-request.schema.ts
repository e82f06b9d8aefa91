import type {
  EventEnvelope,
  HoldMailDelivery,
  InterceptAction,
  PostalAddress,
  RedeliveryLocation,
  RequestContact,
} from '@app/contracts';
import { outboxPlugin } from '@app/messaging';
import { Schema } from 'mongoose';

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
export interface DeliveryRequest {
  _id: string;
  kind: DeliveryRequestKind;
  userId: string;
  /** absent for an address's default instructions */
  trackingNumber: string;
  status: string;
  /** redelivery: the day, `YYYY-MM-DD` (Central calendar) */
  date?: string;
  where?: RedeliveryLocation;
  instructions?: string;
  contact?: RequestContact;
  /** hold extension: the days added and the hold's end before and after */
  days?: number;
  holdUntil?: string;
  previousHoldUntil?: string;
  /** intercept: what the shipper asked, and the new destination of a redirect */
  action?: InterceptAction;
  address?: PostalAddress;
  /** address instructions: the verified address and its key */
  addressId?: string;
  addressKey?: string;
  /** Hold Mail: first and last day held, and what happens at the end */
  startDate?: string;
  endDate?: string;
  delivery?: HoldMailDelivery;
  /** intercept (`succeeded`/`failed`) and redelivery (`confirmed`/`delivered`/`failed`): the last outcome notified */
  outcome?: string;
  createdAt: Date;
  updatedAt: Date;
  outbox: EventEnvelope[];
}

export const DeliveryRequestSchema = new Schema<DeliveryRequest>(
  {
    _id: { type: String },
    kind: { type: String, required: true },
    userId: { type: String, required: true },
    trackingNumber: { type: String },
    status: { type: String, required: true },
    date: String,
    where: String,
    instructions: String,
    contact: Schema.Types.Mixed,
    days: Number,
    holdUntil: String,
    previousHoldUntil: String,
    action: String,
    address: Schema.Types.Mixed,
    addressId: String,
    addressKey: String,
    startDate: String,
    endDate: String,
    delivery: String,
    outcome: String,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'delivery_requests', versionKey: false, minimize: false },
);
DeliveryRequestSchema.plugin(outboxPlugin);
/** The owner's list, newest first. */
DeliveryRequestSchema.index({ userId: 1, createdAt: -1, _id: -1 });

/**
 * The one active request of a kind on a parcel (`_id` = `<kind>:<trackingNumber>`): inserting a
 * unique `_id` is atomic on FerretDB and MongoDB alike, so two concurrent bookings get one winner.
 */
export interface ParcelClaim {
  _id: string;
  requestId: string;
  createdAt: Date;
}

export const ParcelClaimSchema = new Schema<ParcelClaim>(
  { _id: { type: String }, requestId: { type: String, required: true }, createdAt: { type: Date, required: true } },
  { collection: 'parcel_claims', versionKey: false },
);
