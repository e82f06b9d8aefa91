import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MessageRecord, MessageSchema } from './message.schema';
import { MessagesRepository } from './messages.repository';
import { SentEvents } from './sent-events';

@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: MessageRecord.name, schema: MessageSchema }])],
  providers: [MessagesRepository, SentEvents],
  exports: [MessagesRepository, SentEvents],
})
export class MessagesModule {}
