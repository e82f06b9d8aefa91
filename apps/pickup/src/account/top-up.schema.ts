import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type TopUpStatus = 'pending' | 'succeeded' | 'failed';

/** A top-up by card; `_id` is the provider's PaymentIntent id. The credit itself is a ledger entry. */
@Schema({ collection: 'top_ups', versionKey: false })
export class TopUp {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  ownerId: string;

  @Prop({ required: true })
  amountCents: number;

  @Prop({ type: String, required: true })
  status: TopUpStatus;

  @Prop({ required: true })
  createdAt: Date;
}

export const TopUpSchema = SchemaFactory.createForClass(TopUp);
