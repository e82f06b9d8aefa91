import { Module } from '@nestjs/common';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';
import { Clock } from '@app/platform';

@Module({
  controllers: [InboxController],
  providers: [InboxService, Clock],
})
export class InboxModule {}
