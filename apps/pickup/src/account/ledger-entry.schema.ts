import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { EventEnvelope } from '@app/contracts';
import { outboxPlugin } from '@app/messaging';
import type { CardSummary } from '../payments/payment-provider';

/** The ledger's accounts: each owner's postage balance, the card processor, and postage sold. */
export const LedgerAccounts = {
  customer: (ownerId: string) => `customer:${ownerId}`,
  provider: 'provider:stripe',
  revenue: 'revenue:postage',
} as const;

export type LedgerEntryKind = 'top_up' | 'label_charge' | 'label_refund' | 'order_charge' | 'order_refund';

export interface LedgerLine {
  account: string;
  /** Signed integer cents: a debit is positive, a credit negative; an entry's lines sum to 0. */
  amountCents: number;
}

/**
 * What the entry pays for, written in the same insert as the entry (outbox inside the document): a
 * crash right after the insert leaves the effect to the sweep, which applies it from here.
 */
export interface LedgerEffect {
  type: 'issue_label' | 'issue_batch' | 'place_order' | 'settle_return_label' | 'none';
  /** The business document to insert (a label, a batch's labels or an order), exactly as it will be stored; for `settle_return_label`, the label to mark paid. */
  document?: Record<string, unknown>;
  appliedAt?: Date;
}

/**
 * One immutable ledger entry (double entry: its lines sum to zero). `_id` names the business event
 * it records (`top_up:pi_…`, `label_charge:<labelId>`, …), so writing it twice is impossible: the
 * second insert of the same `_id` fails, atomically, on FerretDB as on MongoDB.
 */
@Schema({ collection: 'ledger_entries', versionKey: false })
export class LedgerEntry {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  ownerId: string;

  @Prop({ type: String, required: true })
  kind: LedgerEntryKind;

  @Prop({ type: [Object], required: true })
  lines: LedgerLine[];

  /** This entry's change of the owner's postage balance (its `customer:` line, 0 when none). */
  @Prop({ required: true })
  balanceChangeCents: number;

  /** The gross amount the entry records (positive), for history and receipts. */
  @Prop({ required: true })
  amountCents: number;

  @Prop({ required: true })
  description: string;

  /** `balance` or `card`: what paid (top-ups are always `card`). */
  @Prop({ type: String, required: true })
  method: 'balance' | 'card';

  /** The provider's payment (PaymentIntent) id when a card paid or was refunded. */
  @Prop()
  paymentId?: string;

  @Prop({ type: Object })
  card?: CardSummary;

  /** The label or order this entry is about. */
  @Prop()
  subjectId?: string;

  @Prop({ type: Object, required: true })
  effect: LedgerEffect;

  @Prop({ required: true })
  createdAt: Date;

  /** The entry's receipt email (ReceiptIssued), written in the same insert; the relay publishes and removes it. */
  outbox: EventEnvelope[];
}

export const LedgerEntrySchema = SchemaFactory.createForClass(LedgerEntry);
LedgerEntrySchema.plugin(outboxPlugin);
/** The owner's history and balance: every entry of one owner, newest first. */
LedgerEntrySchema.index({ ownerId: 1, createdAt: -1, _id: -1 });
