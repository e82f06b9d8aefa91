import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountModule } from '../account/account.module';
import { LedgerService } from '../account/ledger.service';
import { LabelsModule } from '../labels/labels.module';
import { RatesModule } from '../rates/rates.module';
import { LabelBatch, LabelBatchSchema } from './batch.schema';
import { BatchQueue } from './batch-queue';
import { BatchWorker } from './batch.worker';
import { BatchesController } from './batches.controller';
import { BatchesRepository } from './batches.repository';
import { BatchesService } from './batches.service';

/** Batch shipping: a CSV of labels made by one BullMQ job and paid in one checkout. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: LabelBatch.name, schema: LabelBatchSchema }]),
    LabelsModule,
    RatesModule,
    AccountModule,
  ],
  controllers: [BatchesController],
  providers: [BatchesRepository, BatchesService, BatchQueue, BatchWorker],
})
export class BatchesModule implements OnModuleInit {
  constructor(
    private readonly ledger: LedgerService,
    private readonly batches: BatchesService,
  ) {}

  onModuleInit(): void {
    // A paid batch's labels are inserted by its ledger entry's effect (now, or by the sweep after a crash).
    this.ledger.registerEffect('issue_batch', (document) => this.batches.issue(document));
  }
}
