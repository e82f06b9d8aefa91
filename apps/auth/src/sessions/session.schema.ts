import { Schema } from 'mongoose';

/**
 * A refresh token that is no longer (or never was) held in its session document, stored by the sha256
 * of its value: every rotated token, so a second use is recognised as reuse, and the unrotated tokens
 * of the older format. Its `_id` is unique, so inserting the rotated record claims the rotation.
 */
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
  /** sha256 of the session's current refresh token (absent on sessions whose token is in refresh_tokens) */
  tokenHash?: string | null;
  /** when the current refresh token was issued */
  tokenIssuedAt?: Date | null;
  /** when its latest refresh token was issued (login or rotation); absent on sessions from before it was kept */
  lastUsedAt?: Date | null;
  /** the browser or client that logged in, as its User-Agent said (shortened) */
  userAgent?: string | null;
  revokedAt?: Date | null;
  /** the organisation the session acts for (POST /auth/switch); null or absent for the personal account */
  orgId?: string | null;
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
    tokenHash: { type: String, default: null },
    tokenIssuedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    userAgent: { type: String, default: null },
    revokedAt: { type: Date, default: null },
    orgId: { type: String, default: null },
  },
  { collection: 'token_families', versionKey: false, autoIndex: false },
);
