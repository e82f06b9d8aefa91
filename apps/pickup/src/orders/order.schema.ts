import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { EventEnvelope, PostalAddress } from '@app/contracts';
import { outboxPlugin } from '@app/messaging';
import { OWNER_LIST_INDEX } from '../common/owner-list-index';

export interface OrderItem {
  sku: string;
  name: string;
  quantity: number;
  priceCents: number;
}

/** A stamps order: written `paid` by the ledger entry that pays for it (`order_charge:<orderId>`). */
@Schema({ collection: 'orders', versionKey: false })
export class Order {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  userId: string;

  @Prop({ type: [Object], required: true })
  items: OrderItem[];

  @Prop({ required: true })
  totalCents: number;

  @Prop({ type: Object, required: true })
  shippingAddress: PostalAddress;

  /** `placed` (orders from before payments), `paid`, `shipped`, `delivered`, `cancelled`. */
  @Prop({ required: true })
  status: string;

  @Prop({ type: String })
  paidBy?: 'balance' | 'card';

  @Prop()
  cancelledAt?: Date;

  /** The tracking number of the label of ours it ships with. */
  @Prop()
  trackingNumber?: string;

  @Prop()
  shippedAt?: Date;

  @Prop()
  deliveredAt?: Date;

  /** Set with `cancelled` in one write, cleared once the money is back (the refund sweep's marker). */
  @Prop()
  refundPending?: boolean;

  @Prop({ required: true })
  createdAt: Date;

  outbox: EventEnvelope[];
}

export const OrderSchema = SchemaFactory.createForClass(Order);
OrderSchema.plugin(outboxPlugin);
/** The owner's list, newest first (`list` sorts by createdAt, then _id). */
OrderSchema.index(OWNER_LIST_INDEX);
