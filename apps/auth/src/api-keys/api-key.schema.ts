import { Schema } from 'mongoose';

/** An internal system's key; the secret part is kept only as its sha256. */
export interface ApiKeyDocument {
  _id: string;
  name: string;
  roles: string[];
  secretHash: string;
  createdBy: string;
  createdAt: Date;
  revokedAt?: Date | null;
}

export const API_KEY_MODEL = 'ApiKey';

export const ApiKeySchema = new Schema<ApiKeyDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    roles: { type: [String], required: true },
    secretHash: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'api_keys', versionKey: false, autoIndex: false },
);
