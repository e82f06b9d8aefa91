import { Module } from '@nestjs/common';
import { AccountsModule } from '../users/accounts.module';
import { OneTimeCodes } from './one-time-codes';

/** One-time codes (email, phone, password reset, address letters): their rules, issue and check. */
@Module({
  imports: [AccountsModule],
  providers: [OneTimeCodes],
  exports: [OneTimeCodes],
})
export class CodesModule {}
