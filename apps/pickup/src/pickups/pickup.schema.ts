import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { EventEnvelope, PackageCounts, PackageLocation, PickupStatus, PostalAddress } from '@app/contracts';
import { outboxPlugin } from '@app/messaging';
import { OWNER_LIST_INDEX } from '../common/owner-list-index';

/** A carrier pickup; `_id` is its confirmation number. */
@Schema({ collection: 'pickups', versionKey: false })
export class Pickup {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  userId: string;

  /** For an organisation's pickup: the member who scheduled it (told of its completion or miss) */
  @Prop()
  createdBy?: string;

  @Prop({ type: String, required: true })
  status: PickupStatus;

  /** `YYYY-MM-DD` in America/Chicago */
  @Prop({ required: true })
  date: string;

  @Prop({ type: Object, required: true })
  address: PostalAddress;

  @Prop({ type: String, required: true })
  packageLocation: PackageLocation;

  @Prop({ type: Object, required: true })
  packages: PackageCounts;

  @Prop({ required: true })
  estimatedWeightLb: number;

  @Prop()
  instructions?: string;

  @Prop({ default: false })
  dogPresent: boolean;

  @Prop({ type: Object, required: true })
  contact: { email?: string; phone?: string };

  @Prop({ type: [String], default: [] })
  trackingNumbers: string[];

  @Prop({ required: true })
  createdAt: Date;

  @Prop({ required: true })
  updatedAt: Date;

  @Prop()
  completedAt?: Date;

  @Prop({ type: [String], default: [] })
  appliedEventIds: string[];

  outbox: EventEnvelope[];
}

export const PickupSchema = SchemaFactory.createForClass(Pickup);
PickupSchema.plugin(outboxPlugin);
/** The owner's list, newest first (`list` sorts by createdAt, then _id). */
PickupSchema.index(OWNER_LIST_INDEX);
