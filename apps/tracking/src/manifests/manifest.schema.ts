import { Schema } from 'mongoose';

export const MANIFEST_MODEL = 'Manifest';

/**
 * A SCAN form tracking has learnt from ManifestCreated: `_id` is the manifest number (the key its
 * scan arrives with, so the lookup is an `_id` read), with the labels it stands for.
 */
export interface ManifestDocument {
  _id: string;
  userId: string;
  trackingNumbers: string[];
  date: string;
  /** The scanner's event id of the manifest's first scan: the one scan that is copied onto its labels. */
  expandedBy?: string;
}

export const ManifestSchema = new Schema<ManifestDocument>(
  {
    _id: String,
    userId: { type: String, required: true },
    trackingNumbers: { type: [String], required: true },
    date: { type: String, required: true },
    expandedBy: String,
  },
  { collection: 'manifests', versionKey: false },
);
