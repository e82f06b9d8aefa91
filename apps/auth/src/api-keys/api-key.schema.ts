import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** An internal system's key; the secret part is kept only as its sha256. */
@Schema({ collection: 'api_keys', versionKey: false, autoIndex: false })
export class ApiKeyDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  name: string;

  @Prop({ type: [String], required: true })
  roles: string[];

  @Prop({ type: String, required: true })
  secretHash: string;

  @Prop({ type: String, required: true })
  createdBy: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, default: null })
  revokedAt?: Date | null;
}

export const API_KEY_MODEL = 'ApiKey';

export const ApiKeySchema = SchemaFactory.createForClass(ApiKeyDocument);
