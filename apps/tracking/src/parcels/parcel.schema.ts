import { Schema } from 'mongoose';
import type { ParcelState } from './parcel-state';

export const PARCEL_MODEL = 'Parcel';

export interface ParcelDocument extends ParcelState {
  /** random id of the last write, to tell our write from a concurrent one */
  writeId?: string;
  updatedAt?: Date;
}

// Mixed arrays keep the documents exactly as the pure logic produced them (no casting surprises).
export const ParcelSchema = new Schema<ParcelDocument>(
  {
    _id: { type: String },
    known: { type: Boolean, default: false },
    status: String,
    statusCode: String,
    statusAt: String,
    events: { type: Schema.Types.Mixed, default: () => [] },
    appliedEventIds: { type: [String], default: [] },
    watchers: { type: [String], default: [] },
    service: String,
    labelId: String,
    labelOwner: String,
    origin: Schema.Types.Mixed,
    destination: Schema.Types.Mixed,
    destinationKey: { type: String, index: true },
    expectedDelivery: String,
    holdExtensionDays: Number,
    outbox: { type: Schema.Types.Mixed, default: () => [] },
    version: { type: Number, default: 0 },
    writeId: String,
    updatedAt: Date,
  },
  { collection: 'parcels', versionKey: false, minimize: false },
);
