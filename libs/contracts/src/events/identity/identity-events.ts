import { AccountLockedV1 } from './account-locked.v1';
import { AddressAddedV1 } from './address-added.v1';
import { AddressRemovedV1 } from './address-removed.v1';
import { AddressUpdatedV1 } from './address-updated.v1';
import { AddressVerifiedV1 } from './address-verified.v1';
import { DefaultAddressChangedV1 } from './default-address-changed.v1';
import { EmailChangedV1 } from './email-changed.v1';
import { EmailVerificationRequestedV1 } from './email-verification-requested.v1';
import { EmailVerifiedV1 } from './email-verified.v1';
import { MfaChangedV1 } from './mfa-changed.v1';
import { PasswordChangedV1 } from './password-changed.v1';
import { PasswordResetRequestedV1 } from './password-reset-requested.v1';
import { PhoneChangedV1 } from './phone-changed.v1';
import { PhoneVerificationRequestedV1 } from './phone-verification-requested.v1';
import { PhoneVerifiedV1 } from './phone-verified.v1';
import { ProfileUpdatedV1 } from './profile-updated.v1';
import { UserRegisteredV1 } from './user-registered.v1';
import { UsernameReminderRequestedV1 } from './username-reminder-requested.v1';
import { OrgInvitationSentV1 } from './org-invitation-sent.v1';
import { OrgMembershipChangedV1 } from './org-membership-changed.v1';
import { OrgCreatedV1 } from './org-created.v1';

/** Every identity.events definition (v1), for the registry. */
export const IDENTITY_EVENT_DEFINITIONS = [
  UserRegisteredV1,
  EmailVerificationRequestedV1,
  EmailVerifiedV1,
  PhoneVerificationRequestedV1,
  PhoneVerifiedV1,
  UsernameReminderRequestedV1,
  PasswordResetRequestedV1,
  PasswordChangedV1,
  EmailChangedV1,
  PhoneChangedV1,
  AccountLockedV1,
  MfaChangedV1,
  ProfileUpdatedV1,
  AddressAddedV1,
  AddressUpdatedV1,
  DefaultAddressChangedV1,
  AddressVerifiedV1,
  AddressRemovedV1,
  // Teams (issue 18)
  OrgInvitationSentV1,
  OrgMembershipChangedV1,
  OrgCreatedV1,
] as const;

/** Identity event type names, for consumers' switch statements. */
export const IdentityEventTypes = {
  UserRegistered: UserRegisteredV1.type,
  EmailVerificationRequested: EmailVerificationRequestedV1.type,
  EmailVerified: EmailVerifiedV1.type,
  PhoneVerificationRequested: PhoneVerificationRequestedV1.type,
  PhoneVerified: PhoneVerifiedV1.type,
  UsernameReminderRequested: UsernameReminderRequestedV1.type,
  PasswordResetRequested: PasswordResetRequestedV1.type,
  PasswordChanged: PasswordChangedV1.type,
  EmailChanged: EmailChangedV1.type,
  PhoneChanged: PhoneChangedV1.type,
  AccountLocked: AccountLockedV1.type,
  MfaChanged: MfaChangedV1.type,
  ProfileUpdated: ProfileUpdatedV1.type,
  AddressAdded: AddressAddedV1.type,
  AddressUpdated: AddressUpdatedV1.type,
  DefaultAddressChanged: DefaultAddressChangedV1.type,
  AddressVerified: AddressVerifiedV1.type,
  AddressRemoved: AddressRemovedV1.type,
  OrgInvitationSent: OrgInvitationSentV1.type,
  OrgMembershipChanged: OrgMembershipChangedV1.type,
  OrgCreated: OrgCreatedV1.type,
} as const;
