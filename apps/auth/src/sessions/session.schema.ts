import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A refresh token that is no longer (or never was) held in its session document, stored by the sha256
 * of its value: every rotated token, so a second use is recognised as reuse, and the unrotated tokens
 * of the older format. Its `_id` is unique, so inserting the rotated record claims the rotation.
 */
@Schema({ collection: 'refresh_tokens', versionKey: false, autoIndex: false })
export class RefreshTokenDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  familyId: string;

  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ type: Date, required: true })
  issuedAt: Date;

  @Prop({ type: Date, default: null })
  rotatedAt?: Date | null;
}

/** A login session: every refresh token rotated from one login. */
@Schema({ collection: 'token_families', versionKey: false, autoIndex: false })
export class TokenFamilyDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  /** sha256 of the session's current refresh token (absent on sessions whose token is in refresh_tokens) */
  @Prop({ type: String, default: null })
  tokenHash?: string | null;

  /** when the current refresh token was issued */
  @Prop({ type: Date, default: null })
  tokenIssuedAt?: Date | null;

  /** when its latest refresh token was issued (login or rotation); absent on sessions from before it was kept */
  @Prop({ type: Date, default: null })
  lastUsedAt?: Date | null;

  /** the browser or client that logged in, as its User-Agent said (shortened) */
  @Prop({ type: String, default: null })
  userAgent?: string | null;

  @Prop({ type: Date, default: null })
  revokedAt?: Date | null;

  /** the organisation the session acts for (POST /auth/switch); null or absent for the personal account */
  @Prop({ type: String, default: null })
  orgId?: string | null;
}

export const REFRESH_TOKEN_MODEL = 'RefreshToken';
export const TOKEN_FAMILY_MODEL = 'TokenFamily';

export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshTokenDocument);

export const TokenFamilySchema = SchemaFactory.createForClass(TokenFamilyDocument);
