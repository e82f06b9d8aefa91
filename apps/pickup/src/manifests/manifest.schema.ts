import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { EventEnvelope } from '@app/contracts';
import { outboxPlugin } from '@app/messaging';

export type ManifestStatus = 'open' | 'accepted';

/**
 * A SCAN form (USPS PS Form 5630 style): one barcode standing for many labels. `_id` is its
 * 22-digit number, the key its acceptance scan arrives with, so that lookup is an `_id` read.
 */
@Schema({ collection: 'manifests', versionKey: false })
export class Manifest {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  ownerId: string;

  /** The pickup/mailing date, YYYY-MM-DD. */
  @Prop({ required: true })
  date: string;

  @Prop({ type: [String], required: true })
  trackingNumbers: string[];

  @Prop({ type: [String], required: true })
  labelIds: string[];

  @Prop({ type: String, required: true })
  status: ManifestStatus;

  @Prop()
  acceptedAt?: Date;

  @Prop({ required: true })
  createdAt: Date;

  @Prop({ type: [String], default: [] })
  appliedEventIds: string[];

  /** ManifestCreated until the relay has published it. */
  outbox: EventEnvelope[];
}

export const ManifestSchema = SchemaFactory.createForClass(Manifest);
ManifestSchema.plugin(outboxPlugin);
/** The owner's list, newest first. */
ManifestSchema.index({ ownerId: 1, createdAt: -1, _id: -1 });

/**
 * A label's place on a manifest: `_id` is the label's tracking number, so the unique insert (the one
 * write FerretDB makes atomically) is what keeps a label on one manifest only.
 */
@Schema({ collection: 'manifest_label_claims', versionKey: false })
export class ManifestLabelClaim {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  manifestId: string;

  @Prop({ required: true })
  createdAt: Date;
}

export const ManifestLabelClaimSchema = SchemaFactory.createForClass(ManifestLabelClaim);
