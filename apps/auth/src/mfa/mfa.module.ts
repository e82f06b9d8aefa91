import { Module } from '@nestjs/common';
import { AccountsModule } from '../users/accounts.module';
import { MfaController } from './mfa.controller';
import { MfaService } from './mfa.service';

/** Two-step sign-in with an authenticator app (TOTP) and recovery codes. */
@Module({
  imports: [AccountsModule],
  controllers: [MfaController],
  providers: [MfaService],
  exports: [MfaService],
})
export class MfaModule {}
