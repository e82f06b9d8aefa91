import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { PaymentDto } from '../payments/dto/payment.dto';
import type { BatchRow } from './batch-csv';

export type BatchStatus = 'queued' | 'validating' | 'paying' | 'issuing' | 'completed' | 'failed';

/** What the shipper wants when some rows are bad: labels for the good rows, or none at all. */
export type InvalidRowsPolicy = 'skip' | 'reject';

export interface BatchRowError {
  line: number;
  reference?: string;
  reason: string;
}

/** A good row turned into the label it will become (tracking number allocated before payment). */
export interface BatchItem {
  line: number;
  reference?: string;
  labelId: string;
  trackingNumber: string;
  priceCents: number;
  /** The label document exactly as it will be inserted once the batch is paid. */
  document: Record<string, unknown>;
}

/**
 * A batch of labels from one CSV upload. Only its job writes it (one BullMQ job per batch, and the
 * ledger's effect sweep, which repeats the same idempotent inserts), so there is no concurrent writer.
 */
@Schema({ collection: 'label_batches', versionKey: false })
export class LabelBatch {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  ownerId: string;

  /** for an organisation's batch: the member who uploaded it (its labels' receipts go to them) */
  @Prop()
  createdBy?: string;

  @Prop({ type: String, required: true })
  status: BatchStatus;

  @Prop({ type: Object, required: true })
  payment: PaymentDto;

  @Prop({ type: String, required: true })
  invalidRows: InvalidRowsPolicy;

  @Prop({ type: [Object], required: true })
  rows: BatchRow[];

  @Prop({ required: true })
  rowCount: number;

  @Prop({ type: [Object], default: [] })
  rowErrors: BatchRowError[];

  @Prop({ type: [Object], default: [] })
  items: BatchItem[];

  @Prop({ default: 0 })
  rowsValidated: number;

  @Prop({ default: 0 })
  labelsIssued: number;

  @Prop({ default: 0 })
  totalCents: number;

  /** The ledger entry that pays for the whole batch (`batch_charge:<batchId>`), once paid. */
  @Prop()
  chargeEntryId?: string;

  @Prop({ type: Object })
  failure?: { code: string; message: string };

  @Prop({ required: true })
  createdAt: Date;

  @Prop({ required: true })
  updatedAt: Date;

  @Prop()
  completedAt?: Date;
}

export const LabelBatchSchema = SchemaFactory.createForClass(LabelBatch);
/** The owner's list, newest first. */
LabelBatchSchema.index({ ownerId: 1, createdAt: -1, _id: -1 });
