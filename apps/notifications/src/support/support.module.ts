import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DispatchModule } from '../messages/dispatch.module';
import { SupportCaseRecord, SupportCaseSchema } from './support-case.schema';
import { SupportController } from './support.controller';
import { SupportService } from './support.service';
import { Clock, IdGenerator } from '@app/platform';

@Module({
  imports: [DispatchModule, MongooseModule.forFeature([{ name: SupportCaseRecord.name, schema: SupportCaseSchema }])],
  controllers: [SupportController],
  providers: [SupportService, Clock, IdGenerator],
  exports: [SupportService],
})
export class SupportModule {}
