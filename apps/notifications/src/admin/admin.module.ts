import { Module } from '@nestjs/common';
import { ProvidersModule } from '../delivery/delivery.module';
import { SmsSinkController } from '../delivery/sms/sms-sink.controller';
import { WebhooksCoreModule } from '../webhooks/webhooks.module';
import { BullBoardMount } from './bull-board';
import { MessagesMetrics } from './messages-metrics';
import { QueueBoardSessionController } from './queue-board-session.controller';

@Module({
  imports: [ProvidersModule, WebhooksCoreModule],
  controllers: [SmsSinkController, QueueBoardSessionController],
  providers: [BullBoardMount, MessagesMetrics],
})
export class AdminModule {}
