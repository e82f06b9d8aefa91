import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The read model of one owner's postage balance (`_id` the owner): the sum of their ledger entries,
 * kept by the only writers of balance-changing entries, under the owner's claim. `pending` is the
 * entry being written: if the writer dies between the entry and this document, the next reader
 * settles it by one point read of that entry, so the balance never drifts from the ledger.
 */
@Schema({ collection: 'account_balances', versionKey: false })
export class AccountBalance {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  balanceCents: number;

  @Prop({ type: Object })
  pending?: { entryId: string; balanceCents: number };

  @Prop({ required: true })
  updatedAt: Date;
}

export const AccountBalanceSchema = SchemaFactory.createForClass(AccountBalance);
