import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { EventEnvelope, PostalAddress, ShippingService, StatusCategory, TrackingEventCode } from '@app/contracts';
import type { ParcelEvent, ParcelState } from './parcel-state';

export const PARCEL_MODEL = 'Parcel';

/** One document per parcel (`_id` = tracking number), written by the partition that owns its key. */
@Schema({ collection: 'parcels', versionKey: false, minimize: false })
export class ParcelDocument implements ParcelState {
  @Prop({ type: String })
  _id: string;

  @Prop({ type: Boolean, default: false })
  known: boolean;

  @Prop({ type: String })
  status?: StatusCategory;

  @Prop({ type: String })
  statusCode?: TrackingEventCode;

  @Prop({ type: String })
  statusAt?: string;

  // Mixed keeps the documents exactly as the pure logic produced them (no casting surprises).
  @Prop({ type: MongooseSchema.Types.Mixed, default: () => [] })
  events: ParcelEvent[];

  @Prop({ type: [String], default: [] })
  appliedEventIds: string[];

  @Prop({ type: [String], default: [] })
  watchers: string[];

  @Prop({ type: String })
  service?: ShippingService;

  @Prop({ type: String })
  labelId?: string;

  @Prop({ type: String })
  labelOwner?: string;

  @Prop({ type: MongooseSchema.Types.Mixed })
  origin?: PostalAddress;

  @Prop({ type: MongooseSchema.Types.Mixed })
  destination?: PostalAddress;

  @Prop({ type: String, index: true })
  destinationKey?: string;

  @Prop({ type: String })
  expectedDelivery?: string;

  @Prop({ type: Number })
  holdExtensionDays?: number;

  @Prop({ type: Boolean })
  heldListed?: boolean;

  @Prop({ type: MongooseSchema.Types.Mixed, default: () => [] })
  outbox: EventEnvelope[];

  /** set by a write whose outbox Redis did not mark pending (the relay's OUTBOX_UNMARKED_FIELD); never shown */
  @Prop({ type: Boolean })
  outboxUnmarked?: boolean;

  @Prop({ type: Number, default: 0 })
  version: number;

  /** random id of the last write, to tell our write from a concurrent one */
  @Prop({ type: String })
  writeId?: string;

  @Prop({ type: Date })
  updatedAt?: Date;
}

export const ParcelSchema = SchemaFactory.createForClass(ParcelDocument);
