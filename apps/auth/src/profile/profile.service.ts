import {
  EmailChangedV1,
  PhoneChangedV1,
  PhoneVerificationRequestedV1,
  PhoneVerifiedV1,
  ProfileUpdatedV1,
  type EventEnvelope,
} from '@app/contracts';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InvalidCodeException, WeakPasswordException } from '../common/errors';
import { emailClaimId, normalizeEmail } from '../common/normalize';
import { SendQuotas } from '../common/send-quotas';
import { isTimeZone } from '../common/validation';
import { DEFAULT_LANGUAGE, type Language } from '@app/contracts/i18n/languages';
import { PasswordPolicy } from '../passwords/password-policy';
import { OneTimeCodes } from '../codes/one-time-codes';
import { RecoveryService } from '../recovery/recovery.service';
import { PasswordGuard } from '../lockout/password-guard';
import { IdentityEventFactory } from '../users/identity-event-factory';
import type { UserDocument } from '../users/user.schema';
import { type ProfileFields, UsersRepository } from '../users/users.repository';
import type { StoredCode } from '../codes/one-time-code';
import type { UpdateProfileDto } from './dto/profile.dto';
import { Clock, fieldRefusal } from '@app/platform';

/** Reads and conditional writes of a PATCH /me before it answers 409. */
const PROFILE_WRITE_ATTEMPTS = 3;
/** The fields ProfileUpdated reports: a PATCH writes only while they are as it read them. */
const PROFILE_EVENT_FIELDS = [
  'email',
  'emailVerified',
  'phone',
  'phoneVerified',
  'firstName',
  'lastName',
  'companyName',
  'timeZone',
  'language',
] as const;

export interface ProfileView {
  userId: string;
  username: string;
  email: string;
  emailVerified: boolean;
  phone?: string;
  phoneVerified: boolean;
  firstName: string;
  lastName: string;
  accountType: string;
  companyName?: string;
  timeZone: string;
  language: Language;
  roles: string[];
  mfaEnabled: boolean;
}

function emailChanges(dto: UpdateProfileDto, user: UserDocument): boolean {
  return dto.email !== undefined && normalizeEmail(dto.email) !== normalizeEmail(user.email);
}

function phoneChanges(dto: UpdateProfileDto, user: UserDocument): boolean {
  return dto.phone !== undefined && dto.phone !== user.phone;
}

export function toProfileView(user: UserDocument): ProfileView {
  return {
    userId: user._id,
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerified,
    phone: user.phone,
    phoneVerified: user.phoneVerified,
    firstName: user.firstName,
    lastName: user.lastName,
    accountType: user.accountType,
    companyName: user.companyName,
    timeZone: user.timeZone,
    language: user.language ?? DEFAULT_LANGUAGE,
    roles: user.roles,
    mfaEnabled: Boolean(user.mfa?.enabled),
  };
}

@Injectable()
export class ProfileService {
  constructor(
    private readonly users: UsersRepository,
    private readonly codes: OneTimeCodes,
    private readonly recovery: RecoveryService,
    private readonly guard: PasswordGuard,
    private readonly policy: PasswordPolicy,
    private readonly events: IdentityEventFactory,
    private readonly clock: Clock,
    private readonly quotas: SendQuotas,
  ) {}

  async user(userId: string): Promise<UserDocument> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundException('user not found');
    return user;
  }

  async get(userId: string): Promise<ProfileView> {
    return toProfileView(await this.user(userId));
  }

  async update(userId: string, dto: UpdateProfileDto): Promise<ProfileView> {
    if (dto.timeZone !== undefined && !isTimeZone(dto.timeZone)) {
      throw new BadRequestException('timeZone must be an IANA time zone');
    }
    let user = await this.user(userId);
    // An access token alone must not be enough to take the account over through its email or its
    // phone (a reset code may go to a verified phone): both changes need the password again.
    const guarded = [...(emailChanges(dto, user) ? ['email'] : []), ...(phoneChanges(dto, user) ? ['phone'] : [])];
    const passwordConfirmed = guarded.length > 0;
    if (passwordConfirmed) {
      if (dto.currentPassword === undefined) {
        throw new BadRequestException(`currentPassword is required to change the ${guarded.join(' and ')}`);
      }
      await this.guard.confirm(user, dto.currentPassword);
    }
    for (let attempt = 0; attempt < PROFILE_WRITE_ATTEMPTS; attempt++) {
      if (attempt > 0) user = await this.user(userId);
      const written = await this.tryUpdate(user, dto, passwordConfirmed);
      if (written) return written;
    }
    throw new ConflictException('the profile changed meanwhile; try again');
  }

  /**
   * Writes only the fields that change, on condition that the fields the ProfileUpdated event
   * reports are still as read (so the event tells the truth); null when they changed meanwhile.
   */
  private async tryUpdate(
    user: UserDocument,
    dto: UpdateProfileDto,
    passwordConfirmed: boolean,
  ): Promise<ProfileView | null> {
    const userId = user._id;
    const fields: ProfileFields = {};
    for (const field of ['firstName', 'lastName', 'companyName', 'timeZone'] as const) {
      if (dto[field] !== undefined && dto[field].trim() !== user[field]) fields[field] = dto[field].trim();
    }
    if (dto.language !== undefined && dto.language !== (user.language ?? DEFAULT_LANGUAGE)) {
      fields.language = dto.language;
    }
    const events: EventEnvelope[] = [];
    const emailChanged = emailChanges(dto, user);
    const phoneChanged = phoneChanges(dto, user);
    // The email or phone changed meanwhile, so this request now changes it without having asked for the password.
    if ((emailChanged || phoneChanged) && !passwordConfirmed) {
      throw new ConflictException('the profile changed meanwhile; try again');
    }
    let emailCode: StoredCode | undefined;
    if (emailChanged) {
      const email = dto.email!.normalize('NFKC').trim();
      if (!(await this.users.claim(emailClaimId(email), userId))) {
        throw new ConflictException(fieldRefusal('email', 'email is already registered'));
      }
      fields.email = email;
      fields.emailVerified = false;
      const verification = this.codes.emailVerification({ ...user, ...fields });
      emailCode = verification.stored;
      events.push(
        verification.event,
        this.events.create(EmailChangedV1, userId, {
          userId,
          previousEmail: user.email,
          changedAt: this.clock.now().toISOString(),
        }),
      );
    }
    if (phoneChanged) {
      fields.phone = dto.phone;
      fields.phoneVerified = false;
      // To the address the account had when asked: a thief with a stolen session learns nothing from it.
      events.push(
        this.events.create(PhoneChangedV1, userId, {
          userId,
          email: user.email,
          phoneLastDigits: dto.phone!.slice(-2),
          changedAt: this.clock.now().toISOString(),
        }),
      );
    }
    if (Object.keys(fields).length === 0) return toProfileView(user);
    const next: UserDocument = { ...user, ...fields };
    events.push(
      this.events.create(ProfileUpdatedV1, userId, {
        userId,
        email: next.email,
        emailVerified: next.emailVerified,
        phone: next.phone,
        phoneVerified: next.phoneVerified,
        firstName: next.firstName,
        lastName: next.lastName,
        companyName: next.companyName,
        timeZone: next.timeZone,
        language: next.language ?? DEFAULT_LANGUAGE,
      }),
    );
    // null matches a missing field, as on MongoDB.
    const condition = Object.fromEntries(PROFILE_EVENT_FIELDS.map((f) => [f, user[f] ?? null]));
    let done = false;
    try {
      done = await this.users.updateProfile(userId, { fields, emailCode, phoneChanged }, events, condition);
    } finally {
      if (emailChanged && !done) await this.users.release(emailClaimId(next.email), userId);
    }
    if (!done) return null;
    if (emailChanged) await this.users.release(emailClaimId(user.email), userId);
    return toProfileView(next);
  }

  async requestPhoneVerification(userId: string): Promise<void> {
    const user = await this.user(userId);
    if (!user.phone) throw new BadRequestException('add a phone number first (PATCH /me)');
    if (user.phoneVerified) throw new ConflictException('phone is already verified');
    // Each code is an SMS someone pays for and a phone gets: per account and per number (429 when over).
    await this.quotas.phoneCode(userId, user.phone);
    const { code, stored } = this.codes.issue('phone', `${userId}:${user.phone}`);
    await this.users.storeCode(userId, 'phone', stored, [
      this.events.create(PhoneVerificationRequestedV1, userId, {
        userId,
        phone: user.phone,
        code,
        expiresAt: stored.expiresAt.toISOString(),
      }),
    ]);
  }

  async verifyPhone(userId: string, code: string): Promise<void> {
    const user = await this.user(userId);
    if (!user.phone) throw new InvalidCodeException();
    const stored = user.codes?.phone;
    const result = await this.codes.check('phone', stored, `${userId}:${user.phone}`, code, (s) =>
      this.users.spendCodeTry(userId, 'phone', s.hash),
    );
    if (result !== 'ok') throw new InvalidCodeException();
    const done = await this.users.markPhoneVerified(userId, stored!.hash, this.clock.now(), [
      this.events.create(PhoneVerifiedV1, userId, { userId, phone: user.phone }),
    ]);
    if (!done) throw new InvalidCodeException();
  }

  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.user(userId);
    await this.guard.confirm(user, currentPassword);
    const reasons = this.policy.check(newPassword, user);
    if (reasons.length > 0) throw new WeakPasswordException(reasons, 'newPassword');
    await this.recovery.setPassword(user, newPassword);
  }
}
