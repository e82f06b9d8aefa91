import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { EventEnvelope, PostalAddress, ShippingService } from '@app/contracts';
import { outboxPlugin } from '@app/messaging';
import { OWNER_LIST_INDEX } from '../common/owner-list-index';

export type LabelStatus = 'active' | 'refunded';

/**
 * How a return label is paid: nothing at creation; the first acceptance scan makes it `due` (in the
 * same write that records the acceptance), then `charged`, or `failed` when the card or balance
 * refuses (the parcel travels on regardless: see ReturnLabelsService).
 */
export interface ReturnCharge {
  method: 'balance' | 'card';
  paymentMethodId?: string;
  state: 'awaiting_scan' | 'due' | 'charged' | 'failed';
  chargedAt?: Date;
  failedAt?: Date;
  failureReason?: string;
  /** payments of a failed charge tried by the shipper (`POST /labels/:id/return-charge`); each is its own ledger entry */
  retries?: number;
}

/** A shipping label; `_id` is its tracking number, the key every tracking event arrives with. */
@Schema({ collection: 'labels', versionKey: false })
export class Label {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true, unique: true })
  labelId: string;

  /**
   * The serial counter value behind the tracking number's (permuted) serial; absent on labels made
   * before serials were permuted, whose serial is the counter value.
   */
  @Prop()
  serialIndex?: number;

  /** for an organisation's label: the member who made it */
  @Prop()
  createdBy?: string;

  @Prop({ required: true })
  userId: string;

  @Prop({ type: String, required: true })
  service: ShippingService;

  @Prop({ required: true })
  priceCents: number;

  @Prop({ required: true })
  zone: number;

  @Prop({ required: true })
  deliveryDays: number;

  @Prop({ required: true })
  weightOz: number;

  @Prop({ type: Object })
  dimensions?: { lengthIn: number; widthIn: number; heightIn: number };

  @Prop({ type: Object, required: true })
  from: PostalAddress;

  @Prop({ type: Object, required: true })
  to: PostalAddress;

  @Prop({ type: String, required: true, default: 'active' })
  status: LabelStatus;

  /** What paid for it (its ledger entry `label_charge:<labelId>` has the details); absent on labels from before payments. */
  @Prop({ type: String })
  paidBy?: 'balance' | 'card';

  /**
   * Set in the same write that marks the label refunded, cleared once the money is back: a crash in
   * between leaves it set, and the refund sweep returns the money then.
   */
  @Prop()
  refundPending?: boolean;

  /** The batch that made it (paid by the batch's one entry `batch_charge:<batchId>`, not a `label_charge`). */
  @Prop()
  batchId?: string;

  /** The stamps order this label ships (our postage, not the customer's: not refundable by them). */
  @Prop()
  orderId?: string;

  /** On a return label: the label id of the outbound label it returns (sender and recipient swapped). */
  @Prop()
  returnOf?: string;

  /** On a return label: its pay-on-first-scan charge. */
  @Prop({ type: Object })
  returnCharge?: ReturnCharge;

  @Prop({ required: true })
  createdAt: Date;

  @Prop()
  refundedAt?: Date;

  /** When the first scan out of pre_shipment happened (from tracking.events). */
  @Prop()
  acceptedAt?: Date;

  /** The pickup this label is attached to, if any (the pickup's `trackingNumbers` is the truth). */
  @Prop()
  pickupConfirmationNumber?: string;

  @Prop({ type: [String], default: [] })
  appliedEventIds: string[];

  outbox: EventEnvelope[];
}

export const LabelSchema = SchemaFactory.createForClass(Label);
LabelSchema.plugin(outboxPlugin);
/** The owner's list, newest first (`list` sorts by createdAt, then _id). */
LabelSchema.index(OWNER_LIST_INDEX);
/** The highest counter value in use, for the serial allocator's recovery. */
LabelSchema.index({ serialIndex: -1 });
