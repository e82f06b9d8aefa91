import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Language } from '@app/contracts/i18n/languages';
import type { AccountType, EventEnvelope } from '@app/contracts';
import type { StoredCode } from '../codes/one-time-code';

export interface AddressEntry {
  id: string;
  label?: string;
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  state: string;
  zip: string;
  isDefault: boolean;
  verified: boolean;
  verifiedAt?: Date;
  /** the pending letter code (hashed) */
  letterCode?: StoredCode;
  createdAt: Date;
}

export interface MfaState {
  enabled: boolean;
  /** sealed TOTP secret (SecretBox) */
  secret?: string;
  /** sealed secret awaiting its first code */
  pendingSecret?: string;
  /** sha256 of each unused recovery code */
  recoveryCodes: string[];
  /** last accepted TOTP time step, so a code works once */
  lastStep?: number;
}

export interface UserCodes {
  email?: StoredCode;
  phone?: StoredCode;
  reset?: StoredCode;
}

@Schema({ collection: 'users', versionKey: false, minimize: false, autoIndex: false })
export class UserDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  username: string;

  @Prop({ type: String, required: true })
  email: string;

  @Prop({ type: Boolean, default: false })
  emailVerified: boolean;

  @Prop({ type: String })
  phone?: string;

  @Prop({ type: Boolean, default: false })
  phoneVerified: boolean;

  /** when the current phone was verified (absent for phones verified before this was recorded) */
  @Prop({ type: Date })
  phoneVerifiedAt?: Date;

  @Prop({ type: String, required: true })
  firstName: string;

  @Prop({ type: String, required: true })
  lastName: string;

  @Prop({ type: String, required: true })
  accountType: AccountType;

  @Prop({ type: String })
  companyName?: string;

  @Prop({ type: String, required: true })
  timeZone: string;

  /** the language of notices and of the portal; absent on accounts made before it existed: English */
  @Prop({ type: String })
  language?: Language;

  @Prop({ type: [String], default: [] })
  roles: string[];

  @Prop({ type: String, required: true })
  passwordHash: string;

  @Prop({ type: Date, required: true })
  passwordChangedAt: Date;

  /** sessions (refresh-token families) created before this are void */
  @Prop({ type: Date })
  sessionsValidAfter?: Date;

  @Prop({ type: Object, default: {} })
  codes: UserCodes;

  @Prop({ type: Object, default: { enabled: false, recoveryCodes: [] } })
  mfa: MfaState;

  @Prop({ type: [Object], default: [] })
  addresses: AddressEntry[];

  @Prop({ type: [Object], default: [] })
  outbox: EventEnvelope[];

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;
}

export const USER_MODEL = 'User';
export const IDENTITY_CLAIM_MODEL = 'IdentityClaim';

export const UserSchema = SchemaFactory.createForClass(UserDocument);

/** Maps a normalised username or email (`username:x`, `email:y`) to its user; `_id` uniqueness is the claim. */
@Schema({ collection: 'identity_claims', versionKey: false, autoIndex: false })
export class IdentityClaimDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;
}

export const IdentityClaimSchema = SchemaFactory.createForClass(IdentityClaimDocument);
