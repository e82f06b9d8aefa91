import type { Language } from '@app/contracts/i18n/languages';
import type { AccountType, EventEnvelope } from '@app/contracts';
import { Schema } from 'mongoose';
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

export interface UserDocument {
  _id: string;
  username: string;
  email: string;
  emailVerified: boolean;
  phone?: string;
  phoneVerified: boolean;
  /** when the current phone was verified (absent for phones verified before this was recorded) */
  phoneVerifiedAt?: Date;
  firstName: string;
  lastName: string;
  accountType: AccountType;
  companyName?: string;
  timeZone: string;
  /** the language of notices and of the portal; absent on accounts made before it existed: English */
  language?: Language;
  roles: string[];
  passwordHash: string;
  passwordChangedAt: Date;
  /** sessions (refresh-token families) created before this are void */
  sessionsValidAfter?: Date;
  codes: UserCodes;
  mfa: MfaState;
  addresses: AddressEntry[];
  outbox: EventEnvelope[];
  createdAt: Date;
  updatedAt: Date;
}

export const USER_MODEL = 'User';
export const IDENTITY_CLAIM_MODEL = 'IdentityClaim';

export const UserSchema = new Schema(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    email: { type: String, required: true },
    emailVerified: { type: Boolean, default: false },
    phone: String,
    phoneVerified: { type: Boolean, default: false },
    phoneVerifiedAt: Date,
    firstName: { type: String, required: true },
    lastName: { type: String, required: true },
    accountType: { type: String, required: true },
    companyName: String,
    timeZone: { type: String, required: true },
    language: String,
    roles: { type: [String], default: [] },
    passwordHash: { type: String, required: true },
    passwordChangedAt: { type: Date, required: true },
    sessionsValidAfter: Date,
    codes: { type: Schema.Types.Mixed, default: {} },
    mfa: { type: Schema.Types.Mixed, default: { enabled: false, recoveryCodes: [] } },
    addresses: { type: [Schema.Types.Mixed], default: [] },
    outbox: { type: [Schema.Types.Mixed], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false, minimize: false, autoIndex: false },
);

/** Maps a normalised username or email (`username:x`, `email:y`) to its user; `_id` uniqueness is the claim. */
export interface IdentityClaimDocument {
  _id: string;
  userId: string;
  createdAt: Date;
}

export const IdentityClaimSchema = new Schema<IdentityClaimDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'identity_claims', versionKey: false, autoIndex: false },
);
