import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RandomSource } from '../common/random';
import { SecretBox } from '../common/secret-box';
import { SendQuotas } from '../common/send-quotas';
import { LockoutService } from '../lockout/lockout.service';
import { PasswordGuard } from '../lockout/password-guard';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import { TokensValidAfter } from '../passwords/tokens-valid-after';
import { IdentityEventFactory } from './identity-event-factory';
import { IdentityClaimSchema, IDENTITY_CLAIM_MODEL, UserSchema, USER_MODEL } from './user.schema';
import { LoginUserCache } from './login-user-cache';
import { UsersRepository } from './users.repository';

const shared = [
  UsersRepository,
  LoginUserCache,
  IdentityEventFactory,
  RandomSource,
  SecretBox,
  SendQuotas,
  PasswordHasher,
  { provide: PasswordPolicy, useFactory: () => new PasswordPolicy() },
  TokensValidAfter,
  LockoutService,
  PasswordGuard,
];

/**
 * What every feature of auth stands on: the user documents and their events, passwords (hashing,
 * policy, lockout), randomness, sealing and the send quotas.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: USER_MODEL, schema: UserSchema },
      { name: IDENTITY_CLAIM_MODEL, schema: IdentityClaimSchema },
    ]),
  ],
  providers: shared,
  exports: shared,
})
export class AccountsModule {}
