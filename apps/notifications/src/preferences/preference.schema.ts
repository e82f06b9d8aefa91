import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { PreferencesUpdate } from './preferences';

/** A user's stored choices (`_id` = user id); kinds never chosen take the defaults. */
@Schema({ collection: 'preferences', versionKey: false })
export class PreferenceRecord {
  @Prop({ type: String, required: true })
  _id: string;

  /** kind → channels; kind names have no '.' and no leading '$' */
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} })
  channels: PreferencesUpdate;

  @Prop({ type: Date })
  updatedAt: Date;
}

export const PreferenceSchema = SchemaFactory.createForClass(PreferenceRecord);
