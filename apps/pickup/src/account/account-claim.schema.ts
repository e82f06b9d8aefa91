import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A claim on one owner's balance while a debit is decided: inserted with a unique `_id` (the only
 * write FerretDB makes atomically across connections), deleted after; `expiresAt` frees it after a crash.
 */
@Schema({ collection: 'account_claims', versionKey: false })
export class AccountClaim {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  token: string;

  @Prop({ required: true })
  expiresAt: Date;
}

export const AccountClaimSchema = SchemaFactory.createForClass(AccountClaim);
