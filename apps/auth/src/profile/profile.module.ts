import { CodesModule } from '../codes/codes.module';
import { Module } from '@nestjs/common';
import { RecoveryModule } from '../recovery/recovery.module';
import { AccountsModule } from '../users/accounts.module';
import { ProfileController } from './profile.controller';
import { ProfileService } from './profile.service';

/** The signed-in user's profile: names, contact details, password and language. */
@Module({
  imports: [AccountsModule, CodesModule, RecoveryModule],
  controllers: [ProfileController],
  providers: [ProfileService],
})
export class ProfileModule {}
