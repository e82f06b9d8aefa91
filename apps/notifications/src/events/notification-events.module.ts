import { Module } from '@nestjs/common';
import { DispatchModule } from '../messages/dispatch.module';
import { SupportModule } from '../support/support.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { NotificationEventsConsumer } from './notification-events.consumer';
import { NotificationEventsService } from './notification-events.service';

@Module({
  imports: [DispatchModule, SupportModule, WebhooksModule],
  providers: [NotificationEventsService, NotificationEventsConsumer],
})
export class NotificationEventsModule {}
