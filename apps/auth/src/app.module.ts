import { AuthModule, authOptionsFromConfig } from '@app/auth';
import { ServiceAppModule } from '@app/platform';
import { MessagingModule, messagingOptionsFromConfig, storeOptionsFromConfig } from '@app/messaging';
import { type DynamicModule, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AddressLetterSchema, ADDRESS_LETTER_MODEL } from './addresses/address-letter.schema';
import { AddressesController, AddressLettersController } from './addresses/addresses.controller';
import { AddressesService } from './addresses/addresses.service';
import { ApiKeySchema, API_KEY_MODEL } from './api-keys/api-key.schema';
import { ApiKeysController, InternalApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { SigningKeysRepository } from './keys/signing-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { RandomSource } from './common/random';
import { SecretBox } from './common/secret-box';
import { SendQuotas } from './common/send-quotas';
import { AUTH_CONFIG, type AuthConfig } from './config';
import { JwksController } from './keys/jwks.controller';
import { KeysService } from './keys/keys.service';
import { SigningKeySchema, SIGNING_KEY_MODEL } from './keys/signing-key.schema';
import { LockoutService } from './lockout/lockout.service';
import { MfaController } from './mfa/mfa.controller';
import { MfaService } from './mfa/mfa.service';
import { PasswordHasher } from './passwords/password-hasher';
import { PasswordPolicy } from './passwords/password-policy';
import { TokensValidAfter } from './passwords/tokens-valid-after';
import { ProfileController } from './profile/profile.controller';
import { ProfileService } from './profile/profile.service';
import { RecoveryController } from './recovery/recovery.controller';
import { RecoveryService } from './recovery/recovery.service';
import { RegistrationController } from './registration/registration.controller';
import { RegistrationService } from './registration/registration.service';
import { OperatorSeedService } from './seed/operator-seed.service';
import { CurrentOrgController, OrgsController } from './orgs/orgs.controller';
import { InternalOrgAuditController } from './orgs/internal-org-audit.controller';
import { OrgsRepository } from './orgs/orgs.repository';
import { OrgsService } from './orgs/orgs.service';
import { OrgAddressBook } from './orgs/org-addresses.service';
import {
  ORG_AUDIT_MODEL,
  ORG_LOCK_MODEL,
  ORG_MEMBERSHIP_MODEL,
  ORG_MODEL,
  OrgAuditSchema,
  OrgLockSchema,
  OrgMembershipSchema,
  OrgSchema,
} from './orgs/org.schema';
import {
  REFRESH_TOKEN_MODEL,
  RefreshTokenSchema,
  TOKEN_FAMILY_MODEL,
  TokenFamilySchema,
} from './sessions/session.schema';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
import { LoginMetrics } from './sessions/login-metrics';
import { PasswordGuard } from './lockout/password-guard';
import { IdentityEventFactory } from './users/identity-event-factory';
import { IdentityClaimSchema, IDENTITY_CLAIM_MODEL, UserSchema, USER_MODEL } from './users/user.schema';
import { UsersRepository } from './users/users.repository';

@Module({})
export class AuthAppModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthAppModule,
      imports: [
        ServiceAppModule.forRoot({
          config: { token: AUTH_CONFIG, value: config },
          mongo: { ...storeOptionsFromConfig(config), autoIndex: false },
          redis: { url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX, maxRetriesPerRequest: 3 },
        }),
        MongooseModule.forFeature([
          { name: USER_MODEL, schema: UserSchema },
          { name: IDENTITY_CLAIM_MODEL, schema: IdentityClaimSchema },
          { name: SIGNING_KEY_MODEL, schema: SigningKeySchema },
          { name: REFRESH_TOKEN_MODEL, schema: RefreshTokenSchema },
          { name: TOKEN_FAMILY_MODEL, schema: TokenFamilySchema },
          { name: ADDRESS_LETTER_MODEL, schema: AddressLetterSchema },
          { name: API_KEY_MODEL, schema: ApiKeySchema },
          // Teams (issue 18)
          { name: ORG_MODEL, schema: OrgSchema },
          { name: ORG_MEMBERSHIP_MODEL, schema: OrgMembershipSchema },
          { name: ORG_LOCK_MODEL, schema: OrgLockSchema },
          { name: ORG_AUDIT_MODEL, schema: OrgAuditSchema },
        ]),
        MessagingModule.forRoot(messagingOptionsFromConfig('auth', config)),
        AuthModule.forRoot(authOptionsFromConfig(config)),
      ],
      controllers: [
        JwksController,
        RegistrationController,
        SessionsController,
        RecoveryController,
        MfaController,
        ProfileController,
        AddressesController,
        AddressLettersController,
        ApiKeysController,
        InternalApiKeysController,
        OrgsController,
        CurrentOrgController,
        InternalOrgAuditController,
      ],
      providers: [
        RandomSource,
        SecretBox,
        SendQuotas,
        PasswordHasher,
        TokensValidAfter,
        { provide: PasswordPolicy, useFactory: () => new PasswordPolicy() },
        IdentityEventFactory,
        UsersRepository,
        SigningKeysRepository,
        KeysService,
        LockoutService,
        RegistrationService,
        SessionsRepository,
        SessionsService,
        LoginMetrics,
        PasswordGuard,
        MfaService,
        RecoveryService,
        ProfileService,
        AddressesService,
        ApiKeysRepository,
        ApiKeysService,
        OperatorSeedService,
        OrgsRepository,
        OrgsService,
        OrgAddressBook,
        AuthLifecycle,
      ],
    };
  }
}

/** Drains recovery's sends before shutdown (Redis and the store close after, at application shutdown). */
@Injectable()
export class AuthLifecycle implements OnModuleDestroy {
  constructor(private readonly recovery: RecoveryService) {}

  async onModuleDestroy(): Promise<void> {
    await this.recovery.drain();
  }
}
