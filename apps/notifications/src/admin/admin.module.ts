import { Module } from '@nestjs/common';
import { ProvidersModule } from '../delivery/delivery.module';
import { SmsSinkController } from '../delivery/sms/sms-sink.controller';
import { BullBoardMount } from './bull-board';
import { MessagesMetrics } from './messages-metrics';

@Module({
  imports: [ProvidersModule],
  controllers: [SmsSinkController],
  providers: [BullBoardMount, MessagesMetrics],
})
export class AdminModule {}
