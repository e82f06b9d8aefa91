import { CodesModule } from '../codes/codes.module';
import { Module, type OnModuleDestroy } from '@nestjs/common';
import { AccountsModule } from '../users/accounts.module';
import { RecoveryController } from './recovery.controller';
import { RecoveryService } from './recovery.service';

/** A forgotten username or password: reminders and reset codes by email or text. */
@Module({
  imports: [AccountsModule, CodesModule],
  controllers: [RecoveryController],
  providers: [RecoveryService],
  exports: [RecoveryService],
})
export class RecoveryModule implements OnModuleDestroy {
  constructor(private readonly recovery: RecoveryService) {}

  /** Drains recovery's sends before shutdown (Redis and the store close after, at application shutdown). */
  async onModuleDestroy(): Promise<void> {
    await this.recovery.drain();
  }
}
