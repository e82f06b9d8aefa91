import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MessageRecord, MessageSchema } from './message.schema';
import { MessagesRepository } from './messages.repository';

@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: MessageRecord.name, schema: MessageSchema }])],
  providers: [MessagesRepository],
  exports: [MessagesRepository],
})
export class MessagesModule {}
