import { EmailVerifiedV1, Roles, UserRegisteredV1 } from '@app/contracts';
import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InvalidCodeException, WeakPasswordException } from '../common/errors';
import { emailClaimId, isValidUsername, normalizeUsername, usernameClaimId } from '../common/normalize';
import { RandomSource } from '../common/random';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../common/validation';
import { AddressesService } from '../addresses/addresses.service';
import { OneTimeCodes } from '../codes/one-time-codes';
import { validateUsAddress } from '../addresses/us-address';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import { IdentityEventFactory } from '../users/identity-event-factory';
import type { UserDocument } from '../users/user.schema';
import { UsersRepository } from '../users/users.repository';
import type { RegisterDto } from './dto/register.dto';
import { Clock, fieldRefusal, fieldLinesRefusal } from '@app/platform';
import { DEFAULT_LANGUAGE, type Language } from '@app/contracts/i18n/languages';

export interface NewUser {
  username: string;
  password: string;
  email: string;
  phone?: string;
  firstName: string;
  lastName: string;
  accountType: UserDocument['accountType'];
  companyName?: string;
  timeZone?: string;
  language?: Language;
  roles: string[];
  emailVerified: boolean;
  address?: RegisterDto['address'];
}

@Injectable()
export class RegistrationService {
  constructor(
    private readonly users: UsersRepository,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly events: IdentityEventFactory,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    private readonly addresses: AddressesService,
    private readonly codes: OneTimeCodes,
  ) {}

  async register(dto: RegisterDto): Promise<{ userId: string; username: string }> {
    const reasons = this.policy.check(dto.password, dto);
    if (reasons.length > 0) throw new WeakPasswordException(reasons);
    if (dto.accountType === 'business' && !dto.companyName) {
      throw new BadRequestException(fieldRefusal('companyName', 'companyName is required for a business account'));
    }
    return this.createUser({ ...dto, roles: [Roles.Customer], emailVerified: false });
  }

  /** Creates a user after claiming its username and email; releases the claims when anything fails. */
  async createUser(input: NewUser): Promise<{ userId: string; username: string }> {
    if (!isValidUsername(input.username)) {
      throw new BadRequestException(
        fieldRefusal('username', 'username must be 3 to 64 letters, digits, dots, dashes or underscores'),
      );
    }
    const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
    if (!isTimeZone(timeZone)) throw new BadRequestException('timeZone must be an IANA time zone');
    const address = input.address ? validateUsAddress(input.address) : undefined;
    if (address && !address.ok)
      throw new BadRequestException(fieldLinesRefusal(address.reasons.map((r) => `address.${r}`)));

    const userId = this.random.id('usr');
    const username = normalizeUsername(input.username);
    const email = input.email.normalize('NFKC').trim();
    if (!(await this.users.claim(usernameClaimId(username), userId))) {
      throw new ConflictException(fieldRefusal('username', 'username is already taken'));
    }
    const claimed = [usernameClaimId(username)];
    try {
      if (!(await this.users.claim(emailClaimId(email), userId))) {
        throw new ConflictException(fieldRefusal('email', 'email is already registered'));
      }
      claimed.push(emailClaimId(email));
      const now = this.clock.now();
      const user: UserDocument = {
        _id: userId,
        username,
        email,
        emailVerified: input.emailVerified,
        phone: input.phone,
        phoneVerified: false,
        firstName: input.firstName.trim(),
        lastName: input.lastName.trim(),
        accountType: input.accountType,
        companyName: input.companyName?.trim(),
        timeZone,
        language: input.language ?? DEFAULT_LANGUAGE,
        roles: input.roles,
        passwordHash: await this.hasher.hash(input.password),
        passwordChangedAt: now,
        codes: {},
        mfa: { enabled: false, recoveryCodes: [] },
        addresses: address?.ok
          ? [{ id: this.random.id('adr'), ...address.address, isDefault: true, verified: false, createdAt: now }]
          : [],
        outbox: [],
        createdAt: now,
        updatedAt: now,
      };
      user.outbox.push(
        this.events.create(UserRegisteredV1, userId, {
          userId,
          username,
          email,
          phone: user.phone,
          firstName: user.firstName,
          lastName: user.lastName,
          accountType: user.accountType,
          companyName: user.companyName,
          timeZone,
          language: user.language,
        }),
      );
      for (const entry of user.addresses) user.outbox.push(this.addresses.addressEvent(userId, entry, 'added'));
      user.outbox.push(...this.addresses.defaultChange(userId, [], user.addresses));
      if (!input.emailVerified) {
        const { stored, event } = this.codes.emailVerification(user);
        user.codes.email = stored;
        user.outbox.push(event);
      }
      await this.users.create(user);
      return { userId, username };
    } catch (error) {
      await Promise.all(claimed.map((c) => this.users.release(c, userId)));
      throw error;
    }
  }

  async verifyEmail(login: string, code: string): Promise<void> {
    const user = await this.users.findByLogin(login);
    if (!user) throw new InvalidCodeException();
    const stored = user.codes?.email;
    const result = await this.codes.check('email', stored, user._id, code, (s) =>
      this.users.spendCodeTry(user._id, 'email', s.hash),
    );
    if (result !== 'ok') throw new InvalidCodeException();
    const done = await this.users.markEmailVerified(user._id, stored!.hash, [
      this.events.create(EmailVerifiedV1, user._id, { userId: user._id, email: user.email }),
    ]);
    if (!done) throw new InvalidCodeException();
  }
}
