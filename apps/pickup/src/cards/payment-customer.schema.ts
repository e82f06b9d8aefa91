import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** An account's customer at the payment provider (saved cards hang off it); `_id` is the owner's user id. */
@Schema({ collection: 'payment_customers', versionKey: false })
export class PaymentCustomer {
  @Prop({ type: String, required: true })
  _id: string;

  /** The provider's customer id (`cus_…`). */
  @Prop({ required: true })
  customerId: string;

  /** The saved card charged when none is named (`pm_…`); one field, so there is only ever one default. */
  @Prop()
  defaultPaymentMethodId?: string;

  /** The account's saved cards (`pm_…`), so listing them is point reads, not a collection scan. */
  @Prop({ type: [String], default: [] })
  cardIds: string[];

  @Prop({ required: true })
  createdAt: Date;
}

export const PaymentCustomerSchema = SchemaFactory.createForClass(PaymentCustomer);
