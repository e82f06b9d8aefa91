import { CodesModule } from '../codes/codes.module';
import { Module } from '@nestjs/common';
import { AddressesModule } from '../addresses/addresses.module';
import { OperatorSeedService } from '../seed/operator-seed.service';
import { AccountsModule } from '../users/accounts.module';
import { RegistrationController } from './registration.controller';
import { RegistrationService } from './registration.service';

/** Sign-up and email verification; the operator account a fresh install starts with. */
@Module({
  imports: [AccountsModule, CodesModule, AddressesModule],
  controllers: [RegistrationController],
  providers: [RegistrationService, OperatorSeedService],
  exports: [RegistrationService],
})
export class RegistrationModule {}
