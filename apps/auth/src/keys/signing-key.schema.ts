import type { JWK } from 'jose';
import { Schema } from 'mongoose';

export interface SigningKeyDocument {
  /** the `kid` */
  _id: string;
  alg: 'ES256';
  publicJwk: JWK;
  /** the private JWK as JSON, sealed by SecretBox */
  privateKey: string;
  createdAt: Date;
}

export const SIGNING_KEY_MODEL = 'SigningKey';

export const SigningKeySchema = new Schema<SigningKeyDocument>(
  {
    _id: { type: String, required: true },
    alg: { type: String, required: true },
    publicJwk: { type: Schema.Types.Mixed, required: true },
    privateKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'signing_keys', versionKey: false, autoIndex: false },
);
