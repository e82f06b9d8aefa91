import { PickupQueues } from '@app/contracts';
import { bullConnection, inJobSpan } from '@app/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import type { BatchJobData } from './batch-queue';
import { BatchesService } from './batches.service';

/** The one processor of the `label-batches` queue; runs in every pickup process. */
@Injectable()
export class BatchWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BatchWorker.name);
  private worker?: Worker<BatchJobData>;
  private connection?: Redis;

  constructor(
    private readonly batches: BatchesService,
    @Inject(PICKUP_CONFIG) private readonly config: PickupConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = bullConnection(this.config.REDIS_URL);
    this.worker = new Worker<BatchJobData>(
      PickupQueues.LabelBatches,
      (job) => inJobSpan(PickupQueues.LabelBatches, job, () => this.batches.process(job.data.batchId)),
      {
        connection: this.connection,
        prefix: `${this.config.REDIS_PREFIX}bull`,
        concurrency: this.config.PICKUP_BATCH_CONCURRENCY,
      },
    );
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ err: error, batchId: job?.data.batchId, attempt: job?.attemptsMade }, 'batch job failed'),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.connection?.quit().catch(() => undefined);
  }
}
