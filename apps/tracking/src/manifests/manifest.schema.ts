import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const MANIFEST_MODEL = 'Manifest';

/**
 * A SCAN form tracking has learnt from ManifestCreated: `_id` is the manifest number (the key its
 * scan arrives with, so the lookup is an `_id` read), with the labels it stands for.
 */
@Schema({ collection: 'manifests', versionKey: false })
export class ManifestDocument {
  @Prop({ type: String })
  _id: string;

  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ type: [String], required: true })
  trackingNumbers: string[];

  @Prop({ type: String, required: true })
  date: string;

  /** The scanner's event id of the manifest's first scan: the one scan that is copied onto its labels. */
  @Prop({ type: String })
  expandedBy?: string;
}

export const ManifestSchema = SchemaFactory.createForClass(ManifestDocument);
