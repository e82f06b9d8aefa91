import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { EventEnvelope } from '@app/contracts';
import { outboxPlugin } from '@app/messaging';

/**
 * A card saved on an account: the provider's payment method id and what may be shown of it (brand,
 * last 4, expiry); never a card number. `_id` is the payment method id (the provider's ids are
 * unique; `ownerId` is checked on every read). A removed card stays (`status: removed`) so its
 * "card removed" email leaves through the outbox with the change.
 */
@Schema({ collection: 'saved_cards', versionKey: false })
export class SavedCard {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  ownerId: string;

  @Prop({ required: true })
  paymentMethodId: string;

  @Prop({ required: true })
  brand: string;

  @Prop({ required: true })
  last4: string;

  @Prop({ required: true })
  expMonth: number;

  @Prop({ required: true })
  expYear: number;

  @Prop({ type: String, required: true })
  status: 'active' | 'removed';

  @Prop({ required: true })
  createdAt: Date;

  @Prop()
  removedAt?: Date;

  outbox: EventEnvelope[];
}

export const SavedCardSchema = SchemaFactory.createForClass(SavedCard);
SavedCardSchema.index({ ownerId: 1, createdAt: -1 });
/** Whose card a payment method is, when a payment names it. */
SavedCardSchema.index({ paymentMethodId: 1 });
SavedCardSchema.plugin(outboxPlugin);
