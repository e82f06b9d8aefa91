import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A card charge about to be made for a purchase, written before the provider is called: if the
 * process dies between the charge and its ledger entry, the sweep finds this and finishes the
 * purchase (the provider replays the charge's outcome for the same idempotency key) or marks it failed.
 */
@Schema({ collection: 'checkouts', versionKey: false })
export class Checkout {
  /** The ledger entry id the charge will be booked under (`label_charge:<labelId>`, …). */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  ownerId: string;

  @Prop({ type: String, required: true })
  kind: 'label_charge' | 'order_charge';

  @Prop({ required: true })
  amountCents: number;

  @Prop({ required: true })
  paymentMethodId: string;

  /** The caller's provider customer when the method is one of their saved cards. */
  @Prop()
  customerId?: string;

  @Prop({ required: true })
  idempotencyKey: string;

  @Prop({ required: true })
  description: string;

  @Prop({ required: true })
  subjectId: string;

  @Prop({ type: Object, required: true })
  effect: {
    type: 'issue_label' | 'issue_batch' | 'place_order' | 'settle_return_label';
    document: Record<string, unknown>;
  };

  @Prop({ type: String, required: true })
  state: 'charging' | 'failed';

  @Prop({ required: true })
  createdAt: Date;
}

export const CheckoutSchema = SchemaFactory.createForClass(Checkout);
