import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { KeysModule } from '../keys/keys.module';
import { MfaModule } from '../mfa/mfa.module';
import { OrgsModule } from '../orgs/orgs.module';
import { AccountsModule } from '../users/accounts.module';
import { LoginMetrics } from './login-metrics';
import { REFRESH_TOKEN_MODEL, RefreshTokenSchema, TOKEN_FAMILY_MODEL, TokenFamilySchema } from './session.schema';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** Log-in, refresh-token rotation, switching organisation, the session list and log-out. */
@Module({
  imports: [
    AccountsModule,
    KeysModule,
    MfaModule,
    OrgsModule,
    MongooseModule.forFeature([
      { name: REFRESH_TOKEN_MODEL, schema: RefreshTokenSchema },
      { name: TOKEN_FAMILY_MODEL, schema: TokenFamilySchema },
    ]),
  ],
  controllers: [SessionsController],
  providers: [SessionsRepository, SessionsService, LoginMetrics],
})
export class SessionsModule {}
