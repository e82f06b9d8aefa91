import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DispatchModule } from '../messages/dispatch.module';
import { SupportCaseRecord, SupportCaseSchema } from './support-case.schema';
import { SupportController } from './support.controller';
import { SupportCasesRepository } from './support-cases.repository';
import { SupportService } from './support.service';

@Module({
  imports: [DispatchModule, MongooseModule.forFeature([{ name: SupportCaseRecord.name, schema: SupportCaseSchema }])],
  controllers: [SupportController],
  providers: [SupportCasesRepository, SupportService],
  exports: [SupportService],
})
export class SupportModule {}
