import { appliedEventIdsPlugin } from '@app/messaging';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** What notifications knows about a user, projected from identity.events; `_id` is the user id. */
@Schema({ collection: 'contacts', versionKey: false })
export class ContactRecord {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, default: null })
  email: string | null;

  @Prop({ default: false })
  emailVerified: boolean;

  @Prop({ type: String, default: null })
  phone: string | null;

  @Prop({ default: false })
  phoneVerified: boolean;

  @Prop({ type: String, default: null })
  firstName: string | null;

  @Prop({ type: String, default: null })
  lastName: string | null;

  @Prop({ type: String, default: null })
  timeZone: string | null;

  /** the user's language (en, es, zh-Hans); null until a profile event says it: English */
  @Prop({ type: String, default: null })
  language: string | null;

  appliedEventIds: string[];
}

export const ContactSchema = SchemaFactory.createForClass(ContactRecord);
ContactSchema.plugin(appliedEventIdsPlugin);
