import { Schema } from 'mongoose';

/** A refresh token, stored by the sha256 of its opaque value. */
export interface RefreshTokenDocument {
  _id: string;
  familyId: string;
  userId: string;
  issuedAt: Date;
  rotatedAt?: Date | null;
}

/** A login session: every refresh token rotated from one login. */
export interface TokenFamilyDocument {
  _id: string;
  userId: string;
  createdAt: Date;
  /** when its latest refresh token was issued (login or rotation); absent on sessions from before it was kept */
  lastUsedAt?: Date | null;
  /** the browser or client that logged in, as its User-Agent said (shortened) */
  userAgent?: string | null;
  revokedAt?: Date | null;
}

export const REFRESH_TOKEN_MODEL = 'RefreshToken';
export const TOKEN_FAMILY_MODEL = 'TokenFamily';

export const RefreshTokenSchema = new Schema<RefreshTokenDocument>(
  {
    _id: { type: String, required: true },
    familyId: { type: String, required: true },
    userId: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    rotatedAt: { type: Date, default: null },
  },
  { collection: 'refresh_tokens', versionKey: false, autoIndex: false },
);

export const TokenFamilySchema = new Schema<TokenFamilyDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
    userAgent: { type: String, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'token_families', versionKey: false, autoIndex: false },
);
