import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { JWK } from 'jose';

@Schema({ collection: 'signing_keys', versionKey: false, autoIndex: false })
export class SigningKeyDocument {
  /** the `kid` */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  alg: 'ES256';

  @Prop({ type: Object, required: true })
  publicJwk: JWK;

  /** the private JWK as JSON, sealed by SecretBox */
  @Prop({ type: String, required: true })
  privateKey: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;
}

export const SIGNING_KEY_MODEL = 'SigningKey';

export const SigningKeySchema = SchemaFactory.createForClass(SigningKeyDocument);
