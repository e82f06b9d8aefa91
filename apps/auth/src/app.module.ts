import { AuthModule, authOptionsFromConfig } from '@app/auth';
import { ServiceAppModule } from '@app/platform';
import { MessagingModule, messagingOptionsFromConfig } from '@app/messaging';
import { storeOptionsFromConfig } from '@app/persistence';
import { type DynamicModule, Module } from '@nestjs/common';
import { AddressesModule } from './addresses/addresses.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AUTH_CONFIG, type AuthConfig } from './config';
import { KeysModule } from './keys/keys.module';
import { MfaModule } from './mfa/mfa.module';
import { OrgsModule } from './orgs/orgs.module';
import { ProfileModule } from './profile/profile.module';
import { RecoveryModule } from './recovery/recovery.module';
import { RegistrationModule } from './registration/registration.module';
import { SessionsModule } from './sessions/sessions.module';
import { AccountsModule } from './users/accounts.module';

/** The features of auth, in the order their routes are registered. */
export const AUTH_FEATURE_MODULES = [
  KeysModule,
  RegistrationModule,
  SessionsModule,
  RecoveryModule,
  MfaModule,
  ProfileModule,
  AddressesModule,
  ApiKeysModule,
  OrgsModule,
] as const;

@Module({})
export class AuthAppModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthAppModule,
      imports: [
        ServiceAppModule.forRoot({
          config: { token: AUTH_CONFIG, value: config },
          mongo: { ...storeOptionsFromConfig(config), autoIndex: false },
          // A login reads its lockout state and the user's generation at once: one write to Redis for both.
          redis: {
            url: config.REDIS_URL,
            keyPrefix: config.REDIS_PREFIX,
            maxRetriesPerRequest: 3,
            autoPipelining: true,
          },
        }),
        MessagingModule.forRoot(messagingOptionsFromConfig('auth', config)),
        AuthModule.forRoot(authOptionsFromConfig(config)),
        AccountsModule,
        ...AUTH_FEATURE_MODULES,
      ],
    };
  }
}
